// Every editor capability of the server. Adding one is adding its file and one line here.
import type { Feature } from './feature';
import { diagnosticsFeature } from './diagnostics';
import { scaffoldFeature } from './scaffold';

export const FEATURES: Feature[] = [diagnosticsFeature, scaffoldFeature];
