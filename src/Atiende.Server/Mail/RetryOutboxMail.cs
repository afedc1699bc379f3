using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

/// <summary>
/// Puts a failed (or still waiting) message back in the queue, due now, with a fresh set of tries. One conditional
/// update, so a message the dispatcher is marking sent at the same moment is never queued again.
/// </summary>
public static class RetryOutboxMail
{
    public static async Task<Results<Ok<OutboxResponse>, ProblemHttpResult>> Handle(long id, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = await db.Outbox.Where(o => o.Id == id && o.Status != OutboxStatus.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OutboxStatus.Queued).SetProperty(o => o.NextAttemptAt, now).SetProperty(o => o.Attempts, 0),
                cancellationToken);
        var row = await db.Outbox.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new OutboxResponse(o.Id, o.TicketId, o.ArticleId, o.AccountId, o.MessageId, o.Recipients, o.Status, o.Automatic, o.Attempts,
                o.NextAttemptAt, o.LastError, o.CreatedAt, o.SentAt))
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Outbox mail {id}");
        }

        return updated == 0 ? Problems.Conflict($"Outbox mail {id} was already sent.") : TypedResults.Ok(row);
    }
}
