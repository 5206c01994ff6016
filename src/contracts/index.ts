/** Every shape that crosses the service's boundary, by feature; schemas only, no I/O. */
export * from './common.js';
export * from './customers.js';
export * from './subscribers.js';
export * from './partners.js';
export * from './billing.js';
export * from './events.js';
export * from './webhook-subscriptions.js';
export * from './compliance.js';
export * from './console.js';
export * from './digests.js';
export * from './chat-arguments.js';
export * from './workspaces.js';
export * from './reconciliations.js';
export * from './upstream.js';
export * from './upstream-sync.js';
export * from './console-audit.js';
export * from './console-customers.js';
