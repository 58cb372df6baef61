export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  generateWebhookSecret,
  signWebhookBody,
  verifyWebhookSignature,
} from './signature';
export type { SignatureRefusal } from './signature';
export {
  WebhookTargetRefusedError,
  addressRefusal,
  checkWebhookUrl,
  guardedLookup,
} from './target-guard';
export type { WebhookTargetPolicy } from './target-guard';
export { sendWebhook } from './send';
export type { WebhookSendResult } from './send';
