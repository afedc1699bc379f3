using System.Security.Cryptography;
using System.Text.Json;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Mail;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Sla;
using Atiende.Server.Tickets;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Atiende.Server.Mail;

public enum IngestOutcome
{
    Accepted,

    /// <summary>Seen before (same Message-ID, or the same bytes when it has none), by whatever path: nothing was added.</summary>
    Duplicate,
    Quarantined,
}

public sealed record IngestResult(IngestOutcome Outcome, long? TicketId, long? ArticleId, string Reason, long? QuarantineId = null);

/// <summary>
/// Turns one received message into a ticket or an article, the same way for every path in (mailbox poller, MTA pipe,
/// relay API, quarantine retry). Everything for one message is one transaction, including the Message-ID row whose
/// unique index makes a second arrival a no-op; whatever cannot be handled is quarantined with its raw bytes.
/// </summary>
public sealed class IngestMail(
    AtiendeDb db, LifecycleDefinition lifecycle, SlaTracking sla, AttachmentStore store, ArticleContent content, MailOutbound outbound, TimeProvider clock,
    ILogger<IngestMail> logger)
{
    public async Task<IngestResult> IngestAsync(byte[] raw, MailAccount? account, string source, CancellationToken cancellationToken, long? retryOf = null)
    {
        if (raw.Length > MailLimits.MaxMessageBytes)
        {
            return await QuarantineAsync(raw, account, source, $"The message is larger than {MailLimits.MaxMessageBytes / 1024 / 1024} MB.", null, retryOf, cancellationToken);
        }

        ReadMail mail;
        try
        {
            mail = MimeReader.Read(await MimeReader.ParseAsync(raw, cancellationToken));
        }
        catch (Exception e) when (e is FormatException or ParseException or InvalidOperationException or ArgumentException or NotSupportedException or System.Text.DecoderFallbackException)
        {
            return await QuarantineAsync(raw, account, source, $"The message could not be read: {e.Message}", null, retryOf, cancellationToken);
        }

        var key = mail.Facts.MessageId ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
        if (await SeenAsync(key, cancellationToken) is { } seen)
        {
            return seen;
        }

        try
        {
            return await HandleAsync(raw, mail, key, account, source, retryOf, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            if (e is DbUpdateException && await SeenAsync(key, cancellationToken) is { } raced)
            {
                return raced; // another path committed the same message first
            }

            logger.LogError(e, "Mail {MessageId} from {Source} could not be handled; quarantined", key, source);
            return await QuarantineAsync(raw, account, source, $"The message could not be handled: {e.Message}", mail.Facts, retryOf, cancellationToken);
        }
    }

    private async Task<IngestResult> HandleAsync(
        byte[] raw, ReadMail mail, string key, MailAccount? account, string source, long? retryOf, CancellationToken cancellationToken)
    {
        var facts = mail.Facts;
        var ownAddresses = await db.MailAccounts.Select(a => a.Address).ToListAsync(cancellationToken);
        var classification = MailRules.Classify(facts, ownAddresses);
        switch (classification.Kind)
        {
            case MailKind.OwnAddress:
                return await QuarantineAsync(raw, account, source, $"Mail loop: {classification.Reason}.", facts, retryOf, cancellationToken);
            case MailKind.Bounce:
                return await RecordBounceAsync(raw, mail, key, account, source, retryOf, cancellationToken);
        }

        if (facts.From is null || !Shared.Validation.IsEmail(facts.From.Address))
        {
            return await QuarantineAsync(raw, account, source, "The message has no usable sender address.", facts, retryOf, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var ticketByReference = await TicketByReferenceAsync(facts, cancellationToken);
        var tagged = ticketByReference is null ? MailRules.TicketIdFromSubject(facts.Subject) : null;
        var sender = await db.Users.FirstOrDefaultAsync(u => u.Email == facts.From.Address, cancellationToken);
        var takesPart = tagged is { } taggedId && await TakesPartAsync(taggedId, sender, facts.From.Address, cancellationToken);
        var decision = MailThreading.Decide(ticketByReference, tagged, takesPart);

        var article = await NewArticleAsync(raw, mail, now, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (sender is null)
        {
            sender = CreateTicket.NewCustomer(facts.From.Address, facts.From.Name, now);
            db.Users.Add(sender);
            await db.SaveChangesAsync(cancellationToken);
        }

        article.AuthorId = sender.Id;
        var existing = decision.TicketId is { } id
            ? await db.Tickets.Include(t => t.Tags).Include(t => t.SlaTargets).AsSplitQuery().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            : null;
        var ticket = existing is null
            ? await NewTicketAsync(facts, article, sender, account, ownAddresses, now, cancellationToken)
            : await AppendAsync(existing, article, sender, classification, now, cancellationToken);

        db.MailMessages.Add(new MailMessage { MessageId = key, TicketId = ticket.Id, ArticleId = article.Id, AccountId = account?.Id, Outbound = false, At = now });

        // Only a person writing in gets an acknowledgement: never automatic mail, never spam.
        if (existing is null && account is not null && classification.Kind == MailKind.Human && ticket.Status != DefaultLifecycle.Spam)
        {
            await outbound.EnqueueAcknowledgementAsync(db, ticket, article, account, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var reason = existing is null ? decision.Reason : $"{decision.Reason} (ticket #{existing.Id})";
        return new IngestResult(IngestOutcome.Accepted, ticket.Id, article.Id, reason);
    }

    private async Task<Ticket> NewTicketAsync(
        InboundMail facts, Article article, User requester, MailAccount? account, List<string> ownAddresses, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cc = facts.To.Concat(facts.Cc).Select(m => m.Address)
            .Where(a => Shared.Validation.IsEmail(a) && a != requester.Email && !ownAddresses.Contains(a, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal).Take(TicketLimits.MaxCc).ToList();
        var ticket = new Ticket
        {
            Subject = Truncate(MailRules.CleanSubject(facts.Subject), TicketLimits.SubjectMaxLength),
            Status = "",
            Channel = Channel.Email,
            RequesterId = requester.Id,
            OrganizationId = requester.OrganizationId,
            GroupId = account?.DefaultGroupId,
            Cc = cc.Select(c => new TicketCc { Email = c }).ToList(),
        };
        Lifecycle.Start(lifecycle, ticket, LifecycleEvent.CreatedByCustomer, now);
        TicketHistory.Record(ticket, HistoryKind.Created, requester.Id, now, ticket.Status);
        ticket.Articles.Add(article);
        TicketHistory.Record(ticket, HistoryKind.ArticleAdded, requester.Id, now, "public");

        var blocked = await db.BlockedSenders.Select(b => b.Pattern).ToListAsync(cancellationToken);
        if (MailRules.IsBlocked(requester.Email, blocked))
        {
            TicketHistory.Record(ticket, Lifecycle.SetStatus(lifecycle, ticket, DefaultLifecycle.Spam, null, now).Changes, null, now);
        }

        await sla.ReconcileAsync(db, ticket, now, cancellationToken);
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        return ticket;
    }

    /// <summary>
    /// Staff writing by mail add agent replies; everyone else adds customer replies (a closed ticket gets a follow-up).
    /// Automatic mail (an out-of-office) is kept on the thread but moves nothing.
    /// </summary>
    private async Task<Ticket> AppendAsync(
        Ticket ticket, Article article, User sender, MailClassification classification, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = classification.Kind == MailKind.Automatic ? new LifecycleOutcome([])
            : sender.IsStaff ? Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.AgentReplied, now)
            : Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.CustomerReplied, now);
        if (outcome.NeedsFollowUp)
        {
            return await FollowUps.CreateAsync(db, ticket, article, sender.Id, lifecycle, sla, now, cancellationToken);
        }

        if (!outcome.Allowed)
        {
            outcome = new LifecycleOutcome([]); // e.g. an agent mailing a removed ticket: keep the message, move nothing
        }

        article.TicketId = ticket.Id;
        ticket.Articles.Add(article);
        TicketHistory.Touch(ticket, now);
        TicketHistory.Record(ticket, HistoryKind.ArticleAdded, sender.Id, now, "public");
        TicketHistory.Record(ticket, outcome.Changes, sender.Id, now);
        await sla.ReconcileAsync(db, ticket, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ticket;
    }

    /// <summary>A delivery report is written on the ticket of the message that bounced, never as a customer reply.</summary>
    private async Task<IngestResult> RecordBounceAsync(
        byte[] raw, ReadMail mail, string key, MailAccount? account, string source, long? retryOf, CancellationToken cancellationToken)
    {
        var report = mail.Facts.Report!;
        var candidates = (report.OriginalMessageId is null ? [] : new[] { report.OriginalMessageId }).Concat(mail.Facts.Ancestors()).ToList();
        var original = await db.MailMessages.Where(m => candidates.Contains(m.MessageId)).OrderByDescending(m => m.Outbound).FirstOrDefaultAsync(cancellationToken);
        if (original is null)
        {
            return await QuarantineAsync(raw, account, source, "A delivery report about a message we did not send.", mail.Facts, retryOf, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var detail = $"{report.Recipient ?? "a recipient"}: {report.Status ?? "failed"} {report.Diagnostic}".Trim();
        db.History.Add(new HistoryEvent
        {
            TicketId = original.TicketId,
            At = now,
            Kind = HistoryKind.DeliveryFailed,
            Field = "email",
            To = Truncate(detail, 2000),
            Internal = true,
        });
        await db.Outbox.Where(o => o.MessageId == original.MessageId && o.Status != OutboxStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OutboxStatus.Failed).SetProperty(o => o.LastError, Truncate(detail, 2000)), cancellationToken);
        db.MailMessages.Add(new MailMessage { MessageId = key, TicketId = original.TicketId, AccountId = account?.Id, Outbound = false, At = now });
        await db.SaveChangesAsync(cancellationToken);
        return new IngestResult(IngestOutcome.Accepted, original.TicketId, null, $"Delivery failure recorded on ticket #{original.TicketId}: {detail}");
    }

    private async Task<Article> NewArticleAsync(byte[] raw, ReadMail mail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var folded = QuoteFolding.Fold(mail.Text);
        var visible = folded.Visible.Length > TicketLimits.BodyMaxLength
            ? folded.Visible[..(TicketLimits.BodyMaxLength - 100)] + "\n[…] (cut here; the original message is kept)"
            : folded.Visible;
        var article = new Article
        {
            Channel = Channel.Email,
            BodyText = visible.Length == 0 ? "(empty message)" : visible,
            BodyHtml = mail.Html is { } html ? content.Sanitize(html) : MimeReader.TextToHtml(visible),
            FoldedText = folded.Folded.Length == 0 ? null : Truncate(folded.Folded, TicketLimits.BodyMaxLength),
            EmailHeaders = JsonSerializer.Serialize(new
            {
                from = mail.Facts.From?.Address,
                to = mail.Facts.To.Select(m => m.Address),
                cc = mail.Facts.Cc.Select(m => m.Address),
                subject = mail.Facts.Subject,
                messageId = mail.Facts.MessageId,
            }),
            RawSha256 = await store.SaveAsync(raw, cancellationToken),
            CreatedAt = now,
        };
        foreach (var file in mail.Files.Where(f => f.Content.Length <= MailLimits.MaxAttachmentBytes))
        {
            article.Attachments.Add(new Attachment
            {
                FileName = file.FileName,
                ContentType = Truncate(file.ContentType, 255),
                Size = file.Content.Length,
                Sha256 = await store.SaveAsync(file.Content, cancellationToken),
                ContentId = file.ContentId is { } cid ? Truncate(cid, 255) : null,
                Inline = file.Inline,
            });
        }

        return article;
    }

    private async Task<long?> TicketByReferenceAsync(InboundMail facts, CancellationToken cancellationToken)
    {
        var ancestors = facts.Ancestors().Take(50).ToList();
        return ancestors.Count == 0
            ? null
            : await db.MailMessages.Where(m => ancestors.Contains(m.MessageId)).OrderByDescending(m => m.Id).Select(m => (long?)m.TicketId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The requester, a CC'd address, or staff: only they may thread into a ticket by its subject tag.</summary>
    private async Task<bool> TakesPartAsync(long ticketId, User? sender, string address, CancellationToken cancellationToken) =>
        sender?.IsStaff == true
        || await db.Tickets.AnyAsync(t => t.Id == ticketId && (sender != null && t.RequesterId == sender.Id || t.Cc.Any(c => c.Email == address)), cancellationToken);

    private async Task<IngestResult?> SeenAsync(string key, CancellationToken cancellationToken)
    {
        var seen = await db.MailMessages.AsNoTracking().Where(m => m.MessageId == key).Select(m => new { m.TicketId, m.ArticleId }).FirstOrDefaultAsync(cancellationToken);
        return seen is null ? null : new IngestResult(IngestOutcome.Duplicate, seen.TicketId, seen.ArticleId, $"Already received (ticket #{seen.TicketId}).");
    }

    private async Task<IngestResult> QuarantineAsync(
        byte[] raw, MailAccount? account, string source, string reason, InboundMail? facts, long? retryOf, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var row = retryOf is { } id ? await db.Quarantine.FirstOrDefaultAsync(q => q.Id == id, cancellationToken) : null;
        if (row is null)
        {
            row = new QuarantinedMail { Source = Truncate(source, 100), Reason = "", Raw = raw, AccountId = account?.Id, ReceivedAt = now };
            db.Quarantine.Add(row);
        }

        row.Reason = Truncate(reason, 2000);
        row.MessageId = facts?.MessageId;
        row.From = facts?.From?.Address is { } from ? Truncate(from, 500) : null;
        row.Subject = facts is null ? null : Truncate(facts.Subject, 1000);
        row.Status = QuarantineStatus.Pending;
        await db.SaveChangesAsync(cancellationToken);
        return new IngestResult(IngestOutcome.Quarantined, null, null, reason, row.Id);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
