// Every fix, in one place: adding a fix is adding its file and one line here. Also the
// two ways fixes are asked for: all actions for one diagnostic (quick fixes), and the one
// action fix-all may apply.
import { addSecretAssertion } from './addSecretAssertion';
import { bindLoopback } from './bindLoopback';
import { createStateDir } from './createStateDir';
import { didYouMean } from './didYouMean';
import { importInProfile } from './importInProfile';
import { mountReadOnly } from './mountReadOnly';
import { moveSecretToEnvFile } from './moveSecretToEnvFile';
import { moveStateCategory } from './moveStateCategory';
import { pinImageTag } from './pinImageTag';
import { renameEnvTypo } from './renameEnvTypo';
import { runAsUnprivileged } from './runAsUnprivileged';
import { fixNamespace } from './fixNamespace';
import { suggestRuleId } from './suggestRuleId';
import { suggestSecretName } from './suggestSecretName';
import { removeUnusedSuppression, suppress } from './suppress';
import { wrapEnableGuard } from './wrapEnableGuard';
import { shapeBrokenBy } from '../parse/moduleShape';
import { applyEdits } from './text';
import type { Fix, FixAction, FixContext } from './types';

export const FIXES: readonly Fix[] = [
  pinImageTag, bindLoopback, mountReadOnly, addSecretAssertion, createStateDir, moveStateCategory, moveSecretToEnvFile,
  renameEnvTypo, runAsUnprivileged, wrapEnableGuard, didYouMean, importInProfile, removeUnusedSuppression, suggestRuleId, suggestSecretName,
  fixNamespace, suppress,
];

export const FIXES_BY_ID: ReadonlyMap<string, Fix> = new Map(FIXES.map((f) => [f.id, f]));

function answers(fix: Fix, rule: string): boolean {
  return fix.rules === '*' || fix.rules.includes(rule);
}

/**
 * Edits within the text, not overlapping one another, and leaving every edited `.nix`
 * file parseable and in a module shape NixOS accepts (an action that breaks this is
 * dropped, so neither the editor nor `hwc lint --fix` ever offers or writes it).
 */
function wellFormed(action: FixAction, ctx: FixContext): boolean {
  if (action.prompt) return true;
  if (action.edits.size === 0) return false;
  for (const [file, edits] of action.edits) {
    const text = ctx.text(file);
    if (text === undefined) return false;
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i];
      if (e.start < 0 || e.end < e.start || e.end > text.length) return false;
      if (i > 0 && e.start < sorted[i - 1].end) return false;
    }
    if (file.endsWith('.nix') && shapeBrokenBy(text, applyEdits(text, edits), file)) return false;
  }
  return true;
}

export interface ActionOptions {
  /** Only the fixes fix-all considers (no suppressions, no prompts). */
  autoOnly?: boolean;
  onError?: (fix: Fix, error: unknown) => void;
}

/** Every action for the context's diagnostic: the rule's fixes first, the suppressions last. */
export function actionsFor(ctx: FixContext, options: ActionOptions = {}): FixAction[] {
  const out: FixAction[] = [];
  for (const fix of FIXES) {
    if (!answers(fix, ctx.diagnostic.rule) || (options.autoOnly && fix.rules === '*')) continue;
    try {
      for (const action of fix.actions(ctx)) if (wellFormed(action, ctx)) out.push(action);
    } catch (error) {
      options.onError?.(fix, error);
    }
  }
  return out;
}

/** The action fix-all applies for a diagnostic, if any: the first one marked autoApply whose safety is allowed. */
export function autoFixFor(ctx: FixContext, includeUnsafe: boolean, onError?: ActionOptions['onError']): FixAction | undefined {
  return actionsFor(ctx, { autoOnly: true, onError }).find((a) => a.autoApply && !a.prompt && (a.safety === 'safe' || includeUnsafe));
}

/** Which rules have a fix, and how fix-all treats it (for docs and `hwc rules`). */
export function fixableRules(): Map<string, Fix[]> {
  const out = new Map<string, Fix[]>();
  for (const fix of FIXES) {
    if (fix.rules === '*') continue;
    for (const rule of fix.rules) out.set(rule, [...(out.get(rule) ?? []), fix]);
  }
  return out;
}
