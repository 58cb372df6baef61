import type { DemandModel } from './models/demand-model';
import { MODEL_FORMAT_VERSION } from './models/demand-model';

/** The model as a JSON string (the model is plain data; numbers round-trip exactly). */
export function serializeModel(model: DemandModel): string {
  return JSON.stringify(model);
}

/** A model back from `serializeModel`; throws on JSON that is not a model of this format. */
export function deserializeModel(json: string): DemandModel {
  const value: unknown = JSON.parse(json);
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as { formatVersion?: unknown }).formatVersion !== MODEL_FORMAT_VERSION ||
    !Array.isArray((value as { series?: unknown }).series) ||
    typeof (value as { spec?: unknown }).spec !== 'object'
  ) {
    throw new TypeError(`not a demand model of format version ${MODEL_FORMAT_VERSION}`);
  }
  return value as DemandModel;
}
