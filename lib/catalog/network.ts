// Addresses and ports of the internet that network policies name.

/** HTTP and HTTPS: federation, object storage, push, link previews. */
export const WEB_PORTS = [80, 443] as const;
export const DNS_PORT = 53;
/** Every IPv4 and IPv6 address. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'] as const;
/** Link-local: the cloud metadata service (169.254.169.254) must never be reachable through SSRF. */
export const LINK_LOCAL = { v4: '169.254.0.0/16', v6: 'fe80::/10' } as const;
/** Private ranges: federation and media fetches go to public addresses only. */
export const PRIVATE = { v4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], v6: ['fc00::/7'] } as const;

/** Set by Kubernetes on every namespace (since 1.22), so a namespace can be selected by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
