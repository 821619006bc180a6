import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The process logger. Focal points' identities and secrets never reach it: code logs ids and
 * pseudonyms only, and these paths are redacted as a second line of defence.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'tamtam' },
    redact: {
      paths: [
        'phone',
        'from',
        'to',
        'name',
        'text',
        'body',
        '*.phone',
        '*.from',
        '*.to',
        '*.name',
        'req.headers.authorization',
        'headers.authorization',
        'token',
        'authToken',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
