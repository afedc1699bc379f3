using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

/// <summary>How an article's mail is doing; the error is for staff only.</summary>
public sealed record ArticleDelivery(OutboxStatus Status, int Attempts, string? LastError, DateTimeOffset? SentAt);

public static class MailDelivery
{
    /// <summary>The delivery of an article saved in this unit of work (queued, since nothing was sent yet).</summary>
    public static ArticleDelivery? Of(AtiendeDb db, Article article) =>
        db.Outbox.Local.Where(o => o.ArticleId == article.Id).Select(o => new ArticleDelivery(o.Status, o.Attempts, null, o.SentAt)).LastOrDefault();

    /// <summary>The deliveries of a page of articles, in one query.</summary>
    public static async Task<Dictionary<long, ArticleDelivery>> ForAsync(AtiendeDb db, List<long> articleIds, bool staff, CancellationToken cancellationToken)
    {
        var rows = await db.Outbox.AsNoTracking().Where(o => o.ArticleId != null && articleIds.Contains(o.ArticleId.Value))
            .OrderBy(o => o.Id)
            .Select(o => new { ArticleId = o.ArticleId!.Value, o.Status, o.Attempts, o.LastError, o.SentAt })
            .ToListAsync(cancellationToken);
        var deliveries = new Dictionary<long, ArticleDelivery>();
        foreach (var row in rows)
        {
            deliveries[row.ArticleId] = new ArticleDelivery(row.Status, row.Attempts, staff ? row.LastError : null, row.SentAt);
        }

        return deliveries;
    }
}
