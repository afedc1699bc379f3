using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

public sealed record OutboxResponse(
    long Id, long TicketId, long? ArticleId, long? AccountId, string MessageId, string Recipients, OutboxStatus Status, bool Automatic,
    int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>The outbox for admins: what is waiting, what went out, what failed and why.</summary>
public static class ListOutbox
{
    public static async Task<Results<Ok<Page<OutboxResponse>>, ProblemHttpResult>> Handle(
        AtiendeDb db, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var wanted = v.Enum<OutboxStatus>("status", status);
        var take = limit ?? 50;
        if (take is < 1 or > 500)
        {
            v.Add("limit", "limit must be between 1 and 500.");
        }

        Cursor after = default;
        if (cursor is not null && !Cursor.TryDecode(cursor, out after))
        {
            v.Add("cursor", "cursor is not one this API returned.");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var query = db.Outbox.AsNoTracking();
        if (wanted is { } s)
        {
            query = query.Where(o => o.Status == s);
        }

        if (cursor is not null)
        {
            query = query.Where(o => o.Id < after.Id);
        }

        var rows = await query.OrderByDescending(o => o.Id).Take(take + 1)
            .Select(o => new OutboxResponse(o.Id, o.TicketId, o.ArticleId, o.AccountId, o.MessageId, o.Recipients, o.Status, o.Automatic, o.Attempts,
                o.NextAttemptAt, o.LastError, o.CreatedAt, o.SentAt))
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? new Cursor(0, rows[take - 1].Id).Encode() : null;
        return TypedResults.Ok(new Page<OutboxResponse>(rows.Take(take).ToList(), next));
    }
}
