export * from './offices.js';
export * from './places.js';
export * from './focal-points.js';
export * from './alerts.js';
export * from './messages.js';
export * from './installation.js';
export * from './sessions.js';
