/*
 * Container image references, as distribution/reference parses them (domain, path, tag, digest).
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

/**
 * A parsed image reference.
 * @public
 */
export interface ImageReference {
  /** Registry host (and port) when the reference names one. */
  domain?: string;
  path: string;
  tag?: string;
  /** `sha256:<64 hex>` when pinned. */
  digest?: string;
}

/**
 * Parses a container image reference; `undefined` when it is malformed. A first component
 * without `.` or `:` (and not `localhost`) is part of the path, as Docker reads it.
 * @public
 */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (ref.length > 512) return undefined;
  const m = REFERENCE.exec(ref);
  if (!m) return undefined;
  let domain: string | undefined = m[1];
  let path = m[2];
  const [, , , tag, digest] = m;
  if (
    domain &&
    !domain.includes('.') &&
    !domain.includes(':') &&
    domain !== 'localhost'
  ) {
    // "team/image": the first component is a path component, which must be lower case
    if (!new RegExp(`^${PATH_COMPONENT}$`).test(domain)) return undefined;
    path = `${domain}/${path}`;
    domain = undefined;
  }
  if (path.length > 255) return undefined;
  return {
    ...(domain ? { domain } : {}),
    path,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}
