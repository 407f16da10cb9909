// The benchmarks make the same certificates; one maker serves both.
export { makeCertificates, type TestCertificates } from '../../bench/certificates.js';
