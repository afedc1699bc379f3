using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Mail;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Atiende.Server.Mail;

public enum TicketNotice
{
    Resolved,
    Closed,
}

/// <summary>
/// Composes outgoing mail and adds it to the outbox in the caller's unit of work: nothing here saves, so a message
/// exists exactly when the article or status change it tells about is committed, and the dispatcher sends it after.
/// Each message also gets a MailMessage row, so a customer's answer threads back to its ticket by In-Reply-To.
/// A ticket with no mail account to send from (e.g. one made through the API on a server without mail) mails nothing.
/// </summary>
public sealed class MailOutbound(
    MailOutboundOptions options, AtiendeOptions settings, LifecycleDefinition lifecycle, TimeProvider clock, ILogger<MailOutbound> logger)
{
    /// <summary>How many of a ticket's Message-IDs go into References: the first and the latest ones.</summary>
    public const int MaxReferences = 20;

    /// <summary>
    /// The new-ticket acknowledgement, for human mail only (the inbound rules decide that). The ticket must have its id
    /// already (saved inside the caller's transaction), since the id is in the subject tag and the Message-ID.
    /// </summary>
    public async Task EnqueueAcknowledgementAsync(AtiendeDb db, Ticket ticket, Article article, MailAccount account, CancellationToken ct)
    {
        RequireId(ticket);
        var requester = await db.Users.FirstAsync(u => u.Id == ticket.RequesterId, ct);
        var sender = HasSmtp(account) ? account : await DefaultAccountAsync(db, ct);
        if (sender is null || !await MayAutoReplyAsync(db, ticket, requester, "acknowledgement", ct))
        {
            return;
        }

        var mail = MailTemplates.Render(MailTemplate.Acknowledgement, requester.Locale, Values(ticket, requester));
        await EnqueueAsync(db, ticket, null, sender, "ack", [Mailbox(requester)], [], mail, automatic: true, ct);
    }

    /// <summary>
    /// An agent's public reply, to the requester with the ticket's CC list. Internal notes mail nobody, and neither does
    /// a reply logged as given by phone or chat: it already reached the customer there.
    /// </summary>
    public async Task EnqueueAgentReplyAsync(AtiendeDb db, Ticket ticket, Article article, CancellationToken ct)
    {
        RequireId(ticket);
        if (article.Internal || article.Channel is Channel.Phone or Channel.Chat || !CustomerFacing(ticket)
            || await SendingAccountAsync(db, ticket.Id, ct) is not { } account)
        {
            return;
        }

        var own = await OwnAddressesAsync(db, ct);
        var requester = await db.Users.FirstAsync(u => u.Id == ticket.RequesterId, ct);
        var to = IsDeliverable(requester.Email) && !own.Contains(requester.Email) ? [Mailbox(requester)] : new List<MailboxAddress>();
        var ccList = db.Entry(ticket).Collection(t => t.Cc).IsLoaded
            ? ticket.Cc.Select(c => c.Email).ToList()
            : await db.TicketCcs.Where(c => c.TicketId == ticket.Id).OrderBy(c => c.Email).Select(c => c.Email).ToListAsync(ct);
        var cc = ccList.Where(e => IsDeliverable(e) && !own.Contains(e) && !string.Equals(e, requester.Email, StringComparison.OrdinalIgnoreCase))
            .Select(e => new MailboxAddress("", e)).ToList();
        if (to.Count + cc.Count == 0)
        {
            return;
        }

        var values = Values(ticket, requester);
        values["reply"] = new MailValue(article.BodyText, article.BodyHtml);
        var mail = MailTemplates.Render(MailTemplate.AgentReply, requester.Locale, values);
        var messageId = await EnqueueAsync(db, ticket, article, account, "reply", to, cc, mail, automatic: false, ct);
        article.EmailHeaders = JsonSerializer.Serialize(new
        {
            from = account.Address,
            to = to.Select(m => m.Address),
            cc = cc.Select(m => m.Address),
            subject = MailRules.WithSubjectTag(mail.Subject, ticket.Id),
            messageId,
        });
    }

    /// <summary>"Resolved — confirm or reply" (with the confirm link) or "closed", to the requester.</summary>
    public async Task EnqueueStatusNoticeAsync(AtiendeDb db, Ticket ticket, TicketNotice notice, CancellationToken ct)
    {
        RequireId(ticket);
        if (await SendingAccountAsync(db, ticket.Id, ct) is not { } account)
        {
            return;
        }

        var requester = await db.Users.FirstAsync(u => u.Id == ticket.RequesterId, ct);
        var what = notice == TicketNotice.Resolved ? "resolved notice" : "closed notice";
        if (!await MayAutoReplyAsync(db, ticket, requester, what, ct))
        {
            return;
        }

        var values = Values(ticket, requester);
        values["confirm.url"] = MailTemplates.Link(ConfirmUrl(ticket.Id));
        var template = notice == TicketNotice.Resolved ? MailTemplate.Resolved : MailTemplate.Closed;
        var mail = MailTemplates.Render(template, requester.Locale, values);
        await EnqueueAsync(db, ticket, null, account, notice == TicketNotice.Resolved ? "resolved" : "closed", [Mailbox(requester)], [], mail, automatic: true, ct);
    }

    /// <summary>The notice a status change calls for, if any: entering the resolved or the closed category.</summary>
    public async Task EnqueueStatusNoticesAsync(AtiendeDb db, Ticket ticket, IEnumerable<FieldChange> changes, CancellationToken ct)
    {
        if (changes.LastOrDefault(c => c.Field == "status") is not { To: { } to } change)
        {
            return;
        }

        var before = change.From is null ? null : lifecycle.Find(change.From)?.Category;
        var notice = lifecycle.Find(to)?.Category switch
        {
            StatusCategory.Resolved when before != StatusCategory.Resolved => TicketNotice.Resolved,
            StatusCategory.Closed when before != StatusCategory.Closed => TicketNotice.Closed,
            _ => (TicketNotice?)null,
        };
        if (notice is { } n)
        {
            await EnqueueStatusNoticeAsync(db, ticket, n, ct);
        }
    }

    /// <summary>
    /// Where a customer confirms a resolution. The portal page comes with the web UI; until then the API equivalent is
    /// POST /api/v1/tickets/{id}/confirm.
    /// </summary>
    public string ConfirmUrl(long ticketId) =>
        string.Create(CultureInfo.InvariantCulture, $"{settings.PublicUrl.TrimEnd('/')}/portal/tickets/{ticketId}/confirm");

    private async Task<string> EnqueueAsync(
        AtiendeDb db, Ticket ticket, Article? article, MailAccount account, string kind, IReadOnlyList<MailboxAddress> to,
        IReadOnlyList<MailboxAddress> cc, RenderedMail content, bool automatic, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var domain = account.Address[(account.Address.LastIndexOf('@') + 1)..];
        var messageId = string.Create(CultureInfo.InvariantCulture,
            $"atiende.{ticket.Id}.{kind}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}@{domain}");
        var message = new MimeMessage { Date = now, MessageId = messageId, Subject = MailRules.WithSubjectTag(content.Subject, ticket.Id) };
        message.From.Add(new MailboxAddress(account.SenderName, account.Address));
        message.ReplyTo.Add(new MailboxAddress(account.SenderName, account.Address));
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        var thread = await ThreadAsync(db, ticket.Id, ct);
        if (thread.Count > 0)
        {
            message.InReplyTo = thread[^1];
            message.References.AddRange(thread);
        }

        if (automatic)
        {
            message.Headers.Add("Auto-Submitted", "auto-generated");
            message.Headers.Add("X-Auto-Response-Suppress", "All");
        }

        message.Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody();
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, ct);

        var articleId = article is null ? (long?)null : ArticleKey(db, article);
        db.Outbox.Add(new OutboxMail
        {
            TicketId = ticket.Id,
            ArticleId = articleId,
            AccountId = account.Id,
            MessageId = messageId,
            Recipients = string.Join(", ", to.Concat(cc).Select(m => m.Address.ToLowerInvariant())),
            Raw = raw.ToArray(),
            Status = OutboxStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            Automatic = automatic,
        });
        db.MailMessages.Add(new MailMessage { MessageId = messageId, TicketId = ticket.Id, ArticleId = articleId, AccountId = account.Id, Outbound = true, At = now });
        return messageId;
    }

    /// <summary>
    /// The loop guards for automatic mail: only to a real, outside person (not one of our own addresses, not a
    /// mailer-daemon, postmaster or noreply address), on a ticket the customer can see, within the hourly cap.
    /// </summary>
    private async Task<bool> MayAutoReplyAsync(AtiendeDb db, Ticket ticket, User requester, string what, CancellationToken ct)
    {
        var email = requester.Email.ToLowerInvariant();
        string? skip = null;
        if (!CustomerFacing(ticket))
        {
            skip = "the customer does not see this ticket";
        }
        else if (!IsDeliverable(email))
        {
            skip = "the requester has no deliverable address";
        }
        else if (MailRules.Classify(new InboundMail(null, null, [], new Mailbox(email, ""), [], [], "", new Dictionary<string, string>(), null),
                     await OwnAddressesAsync(db, ct)) is { Kind: not MailKind.Human } machine)
        {
            skip = machine.Reason;
        }
        else
        {
            var since = clock.GetUtcNow().AddHours(-1);
            var recent = await db.Outbox.CountAsync(o => o.Automatic && o.CreatedAt > since && o.Recipients == email, ct)
                + db.ChangeTracker.Entries<OutboxMail>().Count(e => e.State == EntityState.Added && e.Entity.Automatic && e.Entity.Recipients == email);
            if (recent >= options.AutoReplyCapPerHour)
            {
                skip = $"{recent} automatic mails to this address in the last hour (cap {options.AutoReplyCapPerHour})";
            }
        }

        if (skip is not null && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("No {What} for ticket #{TicketId}: {Reason}", what, ticket.Id, skip);
        }

        return skip is null;
    }

    /// <summary>The account the ticket's first mail came in on; else the first enabled account that can send.</summary>
    private static async Task<MailAccount?> SendingAccountAsync(AtiendeDb db, long ticketId, CancellationToken ct)
    {
        var firstAccountId = await db.MailMessages.Where(m => m.TicketId == ticketId && !m.Outbound && m.AccountId != null)
            .OrderBy(m => m.Id).Select(m => m.AccountId).FirstOrDefaultAsync(ct);
        var first = firstAccountId is { } id ? await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == id, ct) : null;
        return first is not null && HasSmtp(first) ? first : await DefaultAccountAsync(db, ct);
    }

    private static Task<MailAccount?> DefaultAccountAsync(AtiendeDb db, CancellationToken ct) =>
        db.MailAccounts.Where(a => a.Enabled && a.SmtpHost != null && a.SmtpHost != "").OrderBy(a => a.Id).FirstOrDefaultAsync(ct);

    private static bool HasSmtp(MailAccount account) => account.Enabled && !string.IsNullOrWhiteSpace(account.SmtpHost);

    private static async Task<HashSet<string>> OwnAddressesAsync(AtiendeDb db, CancellationToken ct) =>
        (await db.MailAccounts.Select(a => a.Address).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The ticket's Message-IDs, oldest first: the first one and the latest, up to <see cref="MaxReferences"/> in all.</summary>
    private static async Task<List<string>> ThreadAsync(AtiendeDb db, long ticketId, CancellationToken ct)
    {
        var ids = db.MailMessages.Where(m => m.TicketId == ticketId && !m.MessageId.StartsWith("sha256:"));
        var latest = await ids.OrderByDescending(m => m.Id).Select(m => m.MessageId).Take(MaxReferences).ToListAsync(ct);
        latest.Reverse();
        var first = latest.Count == MaxReferences ? await ids.OrderBy(m => m.Id).Select(m => m.MessageId).FirstAsync(ct) : null;
        var pending = db.ChangeTracker.Entries<MailMessage>()
            .Where(e => e.State == EntityState.Added && e.Entity.TicketId == ticketId && !e.Entity.MessageId.StartsWith("sha256:", StringComparison.Ordinal))
            .Select(e => e.Entity.MessageId);
        var thread = latest.Concat(pending).Distinct(StringComparer.Ordinal).ToList();
        if (thread.Count > MaxReferences)
        {
            thread = thread[^MaxReferences..];
        }

        if (first is not null && thread[0] != first)
        {
            thread[0] = first;
        }

        return thread;
    }

    /// <summary>
    /// The article's id, or, when it is not saved yet, EF's temporary key: the relationship replaces it with the real id
    /// when the caller saves, in the same SaveChanges.
    /// </summary>
    private static long ArticleKey(AtiendeDb db, Article article)
    {
        if (article.Id > 0)
        {
            return article.Id;
        }

        if (db.Entry(article).State == EntityState.Detached)
        {
            db.ChangeTracker.DetectChanges(); // added to ticket.Articles, not yet seen by the tracker
        }

        var key = db.Entry(article).Property(a => a.Id);
        return key.IsTemporary ? key.CurrentValue : throw new InvalidOperationException("Add the article to the DbContext before queueing its mail.");
    }

    private static void RequireId(Ticket ticket)
    {
        if (ticket.Id <= 0)
        {
            throw new InvalidOperationException("Save the ticket (inside your transaction) before queueing its mail: its id is in the subject and the Message-ID.");
        }
    }

    private static bool CustomerFacing(Ticket ticket) =>
        ticket.Visibility == TicketVisibility.Public && ticket.StatusCategory != StatusCategory.Removed;

    /// <summary>A syntactically valid address outside the reserved ".invalid" domain (used for people with no email).</summary>
    private static bool IsDeliverable(string email) =>
        Validation.IsEmail(email) && !email.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase);

    private static MailboxAddress Mailbox(User user) => new(user.Name, user.Email);

    private static Dictionary<string, MailValue> Values(Ticket ticket, User requester) => new(StringComparer.Ordinal)
    {
        ["ticket.id"] = new(ticket.Id.ToString(CultureInfo.InvariantCulture)),
        ["ticket.subject"] = new(ticket.Subject),
        ["requester.name"] = new(requester.Name),
    };
}
