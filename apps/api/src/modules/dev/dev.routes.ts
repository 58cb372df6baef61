import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemSchema } from '@marketprep/contracts';
import { AppError } from '../../errors';
import type { DevOutboxMailer } from '../../lib/mailer';

const OutboxSchema = z.object({
  data: z.array(
    z.object({
      id: z.number(),
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      sentAt: z.string(),
    }),
  ),
  nextCursor: z.null().describe('Always null: the newest `limit` mails in one page'),
});

/** Addresses of this machine: the only callers the outbox answers. */
function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

/**
 * `/v1/dev/outbox`: the mail a demo or test instance "sent" (reset and invitation links, which
 * take over accounts). Registered only with `devOutbox` (npm start's demo, tests) and without SMTP,
 * never in production, and it answers only callers on this machine (the client address after
 * TRUST_PROXY hops, so the web proxy's own address does not count): anyone else gets 404.
 */
export const devRoutes: FastifyPluginCallbackZod<{ outbox: DevOutboxMailer }> = (
  app,
  { outbox },
  done,
) => {
  app.get(
    '/v1/dev/outbox',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Development mail outbox',
        description: 'Only on development and test instances without SMTP. Newest first.',
        tags: ['dev'],
        querystring: z.object({
          to: z.string().max(254).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(200),
        }),
        response: { 200: OutboxSchema, 404: ProblemSchema },
      },
    },
    (request) => {
      if (!isLoopback(request.ip))
        throw new AppError('NOT_FOUND', `No route for GET ${request.url.split('?')[0]}`);
      return {
        data: outbox.list(request.query.to?.toLowerCase()).slice(0, request.query.limit),
        nextCursor: null,
      };
    },
  );
  done();
};
