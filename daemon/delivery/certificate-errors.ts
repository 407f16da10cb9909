/** Node's codes for a certificate that failed verification: a configuration error, not an outage. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);

// Its own file so that the SMTP and Graph transports can ask without loading MSAL, which
// lazy-tokens.ts loads only for stores that use OAuth.
export function isCertificateErrorCode(code: unknown): boolean {
  return typeof code === 'string' && CERTIFICATE_CODES.has(code);
}
