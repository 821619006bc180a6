import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/** Where Twilio's REST API lives unless `TWILIO_API_BASE` says otherwise. */
export const DEFAULT_TWILIO_API_BASE = 'https://api.twilio.com';

/** Options for {@link createTwilioClient}. */
export interface TwilioClientOptions {
  /** Account SID (`AC` + 32 hex). */
  accountSid: string;
  authToken: string;
  /**
   * REST API base replacing `https://api.twilio.com` (also its edge/region variants such as
   * `api.dublin.ie1.twilio.com`), e.g. a regional proxy or a local fake. May carry a path prefix.
   * Default {@link DEFAULT_TWILIO_API_BASE}: requests go where the library sends them.
   */
  apiBase?: string;
  /** Request timeout in milliseconds. Default 30000 (the library's). */
  timeoutMs?: number;
}

// `api.twilio.com`, `api.sydney.twilio.com`, `api.dublin.ie1.twilio.com`: the hosts of the core REST API.
const CORE_API_HOST = /^api(\.[a-z0-9-]+){0,2}\.twilio\.com$/;

/**
 * Rewrites a core-API URL onto `apiBase`, keeping path and query. URLs of other Twilio products
 * (Lookup, Verify, …) are left alone: `TWILIO_API_BASE` only names the core API.
 */
export function rebaseTwilioUrl(uri: string, apiBase: URL): string {
  const url = new URL(uri);
  if (!CORE_API_HOST.test(url.hostname)) return uri;
  const prefix = apiBase.pathname.replace(/\/+$/, '');
  return `${apiBase.origin}${prefix}${url.pathname}${url.search}`;
}

/** The library's own HTTP client, with every core-API request sent to `apiBase` instead. */
class RebasingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiBase: URL,
    options: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...options, uri: rebaseTwilioUrl(options.uri, this.apiBase) });
  }
}

/**
 * Makes a Twilio REST client. With a non-default `apiBase`, every core-API call (Messages,
 * Accounts, …) goes there over the library's usual request path: same auth, headers and error
 * parsing (`RestException`), only the origin changes.
 */
export function createTwilioClient(options: TwilioClientOptions): twilio.Twilio {
  const apiBase = new URL(options.apiBase ?? DEFAULT_TWILIO_API_BASE);
  const requestOptions = options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs };
  const isDefault = apiBase.origin === DEFAULT_TWILIO_API_BASE && apiBase.pathname === '/';
  const httpClient = isDefault ? new twilio.RequestClient(requestOptions) : new RebasingRequestClient(apiBase, requestOptions);
  return twilio(options.accountSid, options.authToken, { httpClient });
}
