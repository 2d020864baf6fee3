/**
 * Why an enrolment did not happen, as a typed error: 雲端同步 words each code in the reader's
 * language (what happened, what shop IT does next). The message is main's English for the log and
 * support; the other side's own words (the cloud's answer, the connection's error code) travel
 * apart as `detail`, which the screen shows only labelled for IT.
 */
import { PosError } from '../../shared/errors';
import type { CloudAnswer } from './cloud-client';

/** How long a refused attempt waits when the cloud did not say (its bucket refills within a minute). */
const DEFAULT_RETRY_SECONDS = 60;

const CODE_REFUSALS: Record<
  string,
  { code: 'ENROLMENT_CODE_INVALID' | 'ENROLMENT_CODE_USED' | 'ENROLMENT_CODE_EXPIRED'; message: string }
> = {
  ENROLMENT_CODE_INVALID: {
    code: 'ENROLMENT_CODE_INVALID',
    message: 'The cloud does not know this code: check it, or ask head office for a new one',
  },
  ENROLMENT_CODE_USED: { code: 'ENROLMENT_CODE_USED', message: 'This code has already been used: ask head office for a new one' },
  ENROLMENT_CODE_EXPIRED: { code: 'ENROLMENT_CODE_EXPIRED', message: 'This code has expired: ask head office for a new one' },
};

/**
 * Node's error codes for a TLS handshake that failed: a certificate expired, self-signed, for
 * another name or from an unknown authority; `ERR_SSL_WRONG_VERSION_NUMBER` is https to a plain
 * http port.
 */
const TLS_FAILURE = /^(ERR_SSL_|ERR_TLS_|EPROTO$)|CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/;

export function isTlsFailure(connectionError: string): boolean {
  return TLS_FAILURE.test(connectionError);
}

/** The refusal for a cloud answer that did not enrol the register (`cloudUrl`: what IT typed, for the log). */
export function enrolRefusal(answer: Exclude<CloudAnswer<unknown>, { kind: 'ok' }>, cloudUrl: string): PosError {
  if (answer.kind === 'unreachable') {
    if (answer.status === null) {
      if (isTlsFailure(answer.message))
        return new PosError(
          'CLOUD_CERTIFICATE',
          `No secure connection to ${cloudUrl} (${answer.message}): check the address, or the cloud's certificate`,
          undefined,
          undefined,
          answer.message,
        );
      return new PosError(
        'CLOUD_UNREACHABLE',
        `The cloud at ${cloudUrl} did not answer (${answer.message})`,
        undefined,
        undefined,
        answer.message,
      );
    }
    // Something answered, but not in JSON: a load balancer's error page, or a web site at the address.
    return answer.status >= 500
      ? new PosError(
          'CLOUD_FAILED',
          `${cloudUrl} answered with an error page (HTTP ${answer.status})`,
          undefined,
          undefined,
          answer.message,
        )
      : new PosError('CLOUD_NOT_SUANPAN', `${cloudUrl} is not a Suanpan cloud (${answer.message})`, undefined, undefined, answer.message);
  }
  const said = `${answer.status} ${answer.code}: ${answer.message}`;
  const refusal = CODE_REFUSALS[answer.code];
  if (refusal) return new PosError(refusal.code, refusal.message, undefined, undefined, answer.message);
  if (answer.code === 'RATE_LIMITED') {
    const seconds = answer.retryAfterMs === null ? DEFAULT_RETRY_SECONDS : Math.max(1, Math.ceil(answer.retryAfterMs / 1000));
    return new PosError(
      'ENROLMENT_RATE_LIMITED',
      `Too many attempts: wait ${seconds} s and try again`,
      undefined,
      { seconds },
      answer.message,
    );
  }
  // The cloud has no enrolment at this path: the address has a path of its own (…/hq), or is another service's.
  if (answer.status === 404) return new PosError('CLOUD_NOT_SUANPAN', `${cloudUrl} has no enrolment (${said})`, undefined, undefined, said);
  if (answer.status >= 500) return new PosError('CLOUD_FAILED', `The cloud at ${cloudUrl} failed (${said})`, undefined, undefined, said);
  return new PosError('ENROLMENT_REFUSED', `The cloud refused the enrolment (${said})`, undefined, undefined, said);
}
