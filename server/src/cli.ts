// `hwc`: the command line on the same engine as the language server (no VS Code import).
import { renderMarkdown } from './cli/terminalMarkdown';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, flag, parseArgs } from './cli/args';
import { BASELINE_BOOLEAN_FLAGS } from './cli/baseline';
import { exitQuietlyOnClosedPipe, runLint } from './cli/lint';
import { runContainers } from './cli/containers';
import { runNew } from './cli/new';
import { runImages, runPin } from './cli/images';
import { runConfig, runInit } from './cli/config';
import { runImport } from './cli/importCompose';
import { runMove, runRemove, runRename } from './cli/lifecycle';
import { RULES, RULES_BY_ID, ruleDocsFolder } from './rules/registry';
import { escapeForTerminal } from './cli/terminal';

// bin/hwc records a lint's output for its fast replay when this says it may (cache/replayEntry.ts).
export { lastLintOutcome } from './cache/lintOutcome';

const USAGE = `usage: hwc <command> [options]

commands:
  lint [PATH…]        check the workspace (or only the given files/folders)
      --format text|json|sarif   output format (default text; sarif for GitHub code scanning)
      --config FILE              use FILE instead of <root>/.hwc-lint.json
      --root DIR                 workspace root (default: the nearest folder with flake.nix, .hwc-lint.json
                                 or domains/ + profiles/, from PATH upwards; else PATH itself)
      --max-warnings N           exit 1 when there are more than N warnings
      --quiet                    report errors only
      --rule ID=SEVERITY         override a rule's severity (error|warning|info|hint|off), repeatable
      --fix                      apply the safe fixes to the files (each written atomically) and report them
      --fix-dry-run              print the safe fixes as a unified diff instead; nothing is written
      --baseline-write           record today's findings in <root>/.hwc-baseline.json; later runs report only new ones
      --baseline-prune           drop baseline entries that no longer occur, then report as usual
      --baseline FILE            use FILE as the baseline instead of <root>/.hwc-baseline.json
      --no-baseline              ignore the baseline: report every finding
      --cache / --no-cache       reuse unchanged files' analysis and an unchanged run's findings from
                                 <root>/.hwc-cache/ (default --cache); --no-cache neither reads nor writes it
  containers [PATH…]  list every container: file and line, image, ports, volumes, networks,
                      secrets, state paths, domains; each unknown value says why
      --format text|json         output format (default text)
      --root DIR / --config FILE as for lint
  new NAME --image IMAGE:TAG   scaffold a container module (options.nix, index.nix, profile, route, secrets)
      --port [IP:]HOST:CONTAINER[/udp]   publish a port, repeatable (database images bind 127.0.0.1)
      --category CATEGORY        state category (default: databases for database images, else services)
      --network host|NAME        host network, or a custom Podman network (created when new)
      --proxy                    add a Caddy route for NAME.local (--domain/--tls-email/--basic-auth-user imply it)
      --domain DOMAIN            the route's domain
      --tls-email EMAIL          ACME email for the route's certificate
      --basic-auth-user USER:HASH  Caddy basic auth (HASH from \`caddy hash-password\`)
      --secret KEY               an environment variable kept in the encrypted NAME-env.age, repeatable;
                                 values are read from stdin (KEY=value lines), never from arguments
      --depends-on NAME          start after this container, repeatable
      --dry-run                  print the files instead of writing them
      --root DIR / --config FILE as for lint
  import compose FILE          a Docker Compose file → one container module per service (via \`hwc new\`'s generator)
      --env-file F               variables for interpolation, repeatable (default: the .env beside FILE)
      --category C               state category of the non-database services (default services)
      --pin SERVICE=TAG          pin an image that has no tag or \`latest\`, repeatable (exit 1 lists the ones missing)
      --public SERVICE=DOMAIN    a Caddy route for the service, repeatable
      --profile P                include the services of a compose profile, repeatable
      --allow-read PATH          a secret \`file:\` outside FILE's folder that may be read (a file or folder), repeatable
                                 (exit 1 lists the ones needed; nothing outside is read without it)
      --dry-run                  print the files instead of writing them
      --root DIR / --config FILE as for lint
  images [PATH…]               each container image: current tag, newest stable tag on its track, digest
      --outdated                 only the images behind the newest stable tag
      --format text|json         output format (json: [{ container, image, file, line, current, newest, digest, outdated }])
  pin NAME                     pin a container's (or an image's) tag where its literal is written
      --to TAG                   this tag
      --latest-stable            the newest stable tag on the current track (asks the registry)
      --digest                   add the tag's digest (name:tag@sha256:…; asks the registry)
      --dry-run                  print the change instead of writing it
                               images and pin ask registries only with "registry": { "lookups": true } in .hwc-lint.json
  init [PATH]                  write .hwc-lint.json with the conventions this repository follows
      --root DIR                 the repository (default: found from PATH as for lint)
      --dry-run                  print the proposed file as a diff; nothing is written
      --yes                      add to an existing .hwc-lint.json (without it: asked on a terminal, else refused)
  config --show [PATH]         the effective settings, each from the file, discovered (and why) or the default
      --format text|json         output format (default text)
      --root DIR / --config FILE as for lint
  rename OLD NEW               rename a container everywhere its name lives (module folder, options, secret, route…)
      --state                    rename its state directory in Nix too (then move the data: the mv command is printed)
      --dry-run                  print the change instead of writing it
  move NAME CATEGORY           move a container's state to /opt/CATEGORY/NAME (volumes, tmpfiles, option defaults together)
      --dry-run                  print the change instead of writing it
  remove NAME                  delete a container's module folder, route, profile lines and secret
      --force                    even while other containers dependsOn it (their entries go too)
      --keep-secret              keep its secret declaration and .age file
      --dry-run                  print the change instead of writing it
  rules                        list the rules
  explain ID                   print a rule's documentation
  lsp --stdio                  start the language server on stdin/stdout (--node-ipc from VS Code)

exit codes: 0 no errors, 1 errors found (or --max-warnings exceeded), 2 usage or configuration error
`;

const BOOLEAN_FLAGS = new Set(['outdated', 'latest-stable', 'digest', 'help', 'quiet', 'stdio', 'node-ipc', 'dry-run', 'fix', 'fix-dry-run', 'no-color', 'tls', 'basic-auth', 'force', 'proxy', 'yes', 'state', 'keep-secret', 'show', 'cache', 'no-cache', ...BASELINE_BOOLEAN_FLAGS]);

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, BOOLEAN_FLAGS);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hwc: ${escapeForTerminal(error.message)}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  // `hwc rules | head`: every command but the language server (whose stdout is the
  // protocol) ends quietly when its reader goes away.
  if (args.command !== 'lsp') exitQuietlyOnClosedPipe();
  // Asked for help (`hwc --help`, `hwc lint --help`): usage on stdout, success. Called
  // with nothing: usage on stderr, as a usage error.
  if (flag(args, 'help') || args.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!args.command) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    switch (args.command) {
      case 'lint':
        return await runLint(args);
      case 'new':
        return await runNew(args);
      case 'images':
        return await runImages(args);
      case 'import':
        return await runImport(args);
      case 'pin':
        return await runPin(args);
      case 'containers':
        return await runContainers(args);
      case 'init':
        return await runInit(args);
      case 'config':
        return await runConfig(args);
      case 'rename':
        return await runRename(args);
      case 'remove':
        return await runRemove(args);
      case 'move':
        return await runMove(args);
      case 'rules':
        for (const rule of RULES) process.stdout.write(`${rule.id.padEnd(28)} ${rule.severity.padEnd(8)} ${rule.summary}\n`);
        return 0;
      case 'explain': {
        const id = args.positionals[0];
        if (!id || !RULES_BY_ID.has(id)) {
          process.stderr.write(`hwc: ${id ? `unknown rule \`${escapeForTerminal(id)}\`` : 'explain needs a rule id'}; \`hwc rules\` lists them\n`);
          return 2;
        }
        const page = path.join(ruleDocsFolder(), `${id}.md`);
        const markdown = fs.existsSync(page) ? fs.readFileSync(page, 'utf8') : `${id}: ${RULES_BY_ID.get(id)!.summary}\n`;
        // A terminal gets the page rendered; a pipe gets the Markdown source (for a pager or another renderer).
        const tty = !!process.stdout.isTTY;
        process.stdout.write(tty ? renderMarkdown(markdown, { width: process.stdout.columns || 80, color: !process.env.NO_COLOR && !flag(args, 'no-color') }) : markdown);
        return 0;
      }
      case 'lsp': {
        if (!flag(args, 'stdio') && !flag(args, 'node-ipc')) {
          process.stderr.write('hwc: lsp needs a transport: `hwc lsp --stdio`\n');
          return 2;
        }
        const { startServer } = await import('./server');
        startServer();
        return new Promise<number>(() => undefined);
      }
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`hwc: unknown command \`${escapeForTerminal(args.command)}\`\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hwc: ${escapeForTerminal(error.message)}\n`);
      return 2;
    }
    process.stderr.write(`hwc: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    return 2;
  }
}
