/**
 * @switchboard/api-data-access-telephony/testing: fakes that extend the real ports, so drift between them
 * and the ports is a compile error. For unit tests only; never imported by production code.
 */
export * from './lib/fake-conference-commands';
