// Every editor capability of the server. Adding one is adding its file and one line here.
import type { Feature } from './feature';
import { diagnosticsFeature } from './diagnostics';
import { codeActionsFeature } from './codeActions';
import { scaffoldFeature } from './scaffold';
import { configureFeature } from './configure';
import { completion } from './completion';
import { hover } from './hover';
import { definition } from './definition';
import { references } from './references';
import { symbols } from './symbols';
import { codeLens } from './codeLens';
import { containers } from './containers';
import { registryLookup } from './registryLookup';
import { importComposeFeature } from './importCompose';
import { renameFeature } from './rename';
import { removeContainerFeature } from './removeContainer';
import { moveStateFeature } from './moveState';
import { moveStateActionFeature } from './moveStateAction';

export const FEATURES: Feature[] = [diagnosticsFeature, codeActionsFeature, scaffoldFeature, configureFeature, completion, hover, definition, references, symbols, codeLens, containers, registryLookup, importComposeFeature, renameFeature, removeContainerFeature, moveStateFeature, moveStateActionFeature];
