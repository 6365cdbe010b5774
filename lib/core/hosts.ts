/** The host names the edge serves, lower-cased as Ingress and Gateway API require. */
export interface EdgeHosts {
  /** WEB_DOMAIN, then ALTERNATE_DOMAINS: web and streaming. */
  readonly web: readonly string[];
  /** The streaming API's own host (STREAMING_API_BASE_URL). @default none */
  readonly streaming?: string;
  /** Every host, for the certificate. */
  readonly all: readonly string[];
}
