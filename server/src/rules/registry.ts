// Every rule, in one place: adding a rule is adding its file and one line here.
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Rule } from './types';
import { configInvalid, fileNotAnalysed, suppressionUnknownRule, suppressionUnused, syntaxError } from './always';
import { containerRunsAsRoot } from './container/containerRunsAsRoot';
import { databasePortExposed } from './container/databasePortExposed';
import { hardcodedSecret } from './container/hardcodedSecret';
import { imageLatestTag } from './container/imageLatestTag';
import { imageOutdated } from './container/imageOutdated';
import { imperativePodmanRun } from './container/imperativePodmanRun';
import { invalidPortMapping } from './container/invalidPortMapping';
import { invalidVolume } from './container/invalidVolume';
import { mediaMountWritable } from './container/mediaMountWritable';
import { missingPuidPgid } from './container/missingPuidPgid';
import { networkDeviceConflict } from './container/networkDeviceConflict';
import { portAllInterfaces } from './container/portAllInterfaces';
import { statePathCategory } from './container/statePathCategory';
import { statePathOwner } from './container/statePathOwner';
import { moduleMissingEnableGuard } from './module/moduleMissingEnableGuard';
import { moduleMissingOptions } from './module/moduleMissingOptions';
import { namespaceMismatch } from './module/namespaceMismatch';
import { secretMissingAssertion } from './module/secretMissingAssertion';
import { customNetworkUndefined } from './workspace/customNetworkUndefined';
import { dependsOnUnknown } from './workspace/dependsOnUnknown';
import { hostPortConflict } from './workspace/hostPortConflict';
import { moduleNotEnabled } from './workspace/moduleNotEnabled';
import { proxyRouteMissing } from './workspace/proxyRouteMissing';
import { secretFileMissing } from './workspace/secretFileMissing';
import { secretUndeclared } from './workspace/secretUndeclared';
import { stateDirMissingTmpfiles } from './workspace/stateDirMissingTmpfiles';
import { statePathShared } from './workspace/statePathShared';

export const RULES: readonly Rule[] = [
  imageLatestTag, imageOutdated, databasePortExposed, portAllInterfaces, invalidPortMapping, invalidVolume, statePathCategory, statePathOwner,
  mediaMountWritable, hardcodedSecret, containerRunsAsRoot, missingPuidPgid, imperativePodmanRun, networkDeviceConflict,
  moduleMissingOptions, namespaceMismatch, moduleMissingEnableGuard, secretMissingAssertion,
  secretUndeclared, secretFileMissing, stateDirMissingTmpfiles, statePathShared, hostPortConflict, dependsOnUnknown,
  customNetworkUndefined, proxyRouteMissing, moduleNotEnabled,
  syntaxError, fileNotAnalysed, suppressionUnknownRule, suppressionUnused, configInvalid,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** The folder of the rule pages: `docs/rules` beside the bundle (in the .vsix and in the repo). */
export function ruleDocsFolder(): string {
  return process.env.HWC_DOCS_DIR ?? path.join(__dirname, '..', 'docs', 'rules');
}

/** codeDescription.href of a rule: its docs page, as a file URI editors can open. */
export function ruleDocsUrl(id: string): string {
  return pathToFileURL(path.join(ruleDocsFolder(), `${id}.md`)).href;
}
