/**
 * Mastodon's OpenTelemetry tracing, read in config/initializers/opentelemetry.rb at every
 * supported release line (glitch-soc/mastodon v4.3.23, v4.4.22, v4.5.15, v4.6.5 and
 * mastodon/mastodon@cebb47f7f7 = 4.7: the same lines, :6 and :59-60 on 4.3, :62-63 later):
 * - tracing starts when any variable matches /OTEL_.*_ENDPOINT/ (:6);
 * - services are named `<OTEL_SERVICE_NAME_PREFIX><OTEL_SERVICE_NAME_SEPARATOR>web` in Puma and
 *   `…<basename of $PROGRAM_NAME>` elsewhere (sidekiq, tootctl, rake), default prefix `mastodon`,
 *   separator `/` (4.7 :62-69).
 * The exporter is opentelemetry-ruby's OTLP/HTTP one (Gemfile.lock: 0.29.0 on 4.3.0, 0.30.0 on
 * 4.4.0, 0.34.1 on 4.7; open-telemetry/opentelemetry-ruby tags opentelemetry-exporter-otlp/v*):
 * it appends `/v1/traces` to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318; v0.34.1
 * exporter/otlp/lib/opentelemetry/exporter/otlp/exporter.rb:419-424, v0.29.0 :402-404) and sends
 * OTEL_EXPORTER_OTLP_HEADERS as comma-separated, URL-decoded key=value pairs (v0.34.1 :55,447-452;
 * v0.29.0 :54).
 */
export const OTEL_ENV = {
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  serviceNamePrefix: 'OTEL_SERVICE_NAME_PREFIX',
  serviceNameSeparator: 'OTEL_SERVICE_NAME_SEPARATOR',
  headers: 'OTEL_EXPORTER_OTLP_HEADERS',
} as const;
