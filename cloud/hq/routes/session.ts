/** Logging in and out, the current session, and a user's own second factor. */
import type { FastifyInstance } from 'fastify';
import { CloudError } from '../../errors';
import { countEnrolAttempt } from '../../domain/enrolment';
import { parseRequest } from '../../routes/parse';
import { LoginBody, TotpConfirmBody, type SessionInfo } from '../contract';
import { API_PREFIX, checkSameOrigin, readCookie, sessionCookie, sessionCookieName, type HqCookieOptions, type HqRouter } from '../router';
import { newTotpSecret, otpauthUri } from '../totp';
import { SESSION_ABSOLUTE_MS, confirmTotp, endSession, findSession, login, startTotp } from '../users';

export function sessionRoutes(
  app: FastifyInstance,
  router: HqRouter,
  options: { cookies: HqCookieOptions; loginAttemptsPerMinute: number },
): void {
  const { pool, clock } = router;

  app.post(`${API_PREFIX}/login`, async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    checkSameOrigin(request);
    // Per address, across instances, before anything else: a password spray over many accounts
    // meets this limit; a guess at one account meets that account's lockout.
    await countEnrolAttempt(pool, `hq-login:${request.ip}`, options.loginAttemptsPerMinute, clock.now(), 'login');
    const body = parseRequest(LoginBody, request.body, 'login');
    const now = clock.now();
    const result = await login(pool, body, now, request.ip);
    void reply.header('Set-Cookie', sessionCookie(options.cookies, result.token, Math.floor(SESSION_ABSOLUTE_MS / 1000)));
    const session = await findSession(pool, result.token, now);
    if (!session) throw new CloudError('INTERNAL', 'The new session could not be read back');
    const { tokenHash: _tokenHash, ...info } = session;
    return info satisfies SessionInfo;
  });

  app.post(`${API_PREFIX}/logout`, async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    checkSameOrigin(request);
    const token = readCookie(request, sessionCookieName(options.cookies));
    if (token !== undefined) {
      const session = await findSession(pool, token, clock.now());
      if (session) await endSession(pool, session.tokenHash, clock.now());
    }
    void reply.header('Set-Cookie', sessionCookie(options.cookies, '', 0));
    return { ok: true };
  });

  router.get('/session', { permission: 'dashboard.view' }, async (ctx) => {
    const { tokenHash: _tokenHash, ...info } = ctx.session;
    return info satisfies SessionInfo;
  });

  router.post('/me/totp/start', { permission: 'dashboard.view' }, async (ctx) => {
    if (ctx.user.totpEnabled) throw new CloudError('CONFLICT', 'The authenticator is already set up');
    const secret = newTotpSecret();
    await startTotp(pool, ctx.user.id, secret);
    return { secret, uri: otpauthUri(secret, ctx.user.email) };
  });

  router.post('/me/totp/confirm', { permission: 'dashboard.view', body: TotpConfirmBody }, async (ctx, { body }) => {
    if (!(await confirmTotp(pool, ctx.user.id, body.code, ctx.now)))
      throw new CloudError('TOTP_INVALID', 'That code is wrong or already used: type the current code');
    await ctx.audit(pool, 'user.totp-enabled', ctx.user.email);
    return { ok: true };
  });
}
