import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
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
});

/**
 * `/v1/dev/outbox`: the mail a development or test instance "sent" (reset and invitation links).
 * Registered only when no SMTP transport is configured, and never in production.
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
        description: 'Only on development and test instances without SMTP.',
        tags: ['dev'],
        querystring: z.object({ to: z.string().max(254).optional() }),
        response: { 200: OutboxSchema },
      },
    },
    (request) => ({ data: outbox.list(request.query.to?.toLowerCase()) }),
  );
  done();
};
