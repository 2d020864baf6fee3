/** A register's push or pull, recorded with what it reported about itself (src/shared/register-report.ts). */
import type { FastifyRequest } from 'fastify';
import { readReportHeaders } from '../../src/shared/register-report';
import type { Pool } from '../db/pool';
import { recordRegisterContact, type RegisterContext } from '../domain/registers';

/**
 * After the request's own work succeeded. An unusable field is left out and logged; a failure to
 * record is logged too: neither ever fails the push or pull it came with.
 */
export async function recordContact(
  pool: Pool,
  request: FastifyRequest,
  register: RegisterContext,
  via: 'push' | 'pull',
  now: number,
): Promise<void> {
  const { report, problems } = readReportHeaders(request.headers);
  const who = `${register.storeCode}-${register.registerCode}`;
  if (problems.length > 0) request.log.warn({ register: who, problems }, `register ${who} reported unusable fields; ignored`);
  try {
    await recordRegisterContact(pool, register.registerId, { via, report, now });
  } catch (error) {
    request.log.error({ register: who, error: (error as Error).message }, `register ${who}: its ${via} could not be recorded`);
  }
}
