using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Atiende.Server.Tests.Mail;

/// <summary>
/// Outgoing mail: composing into the outbox, loop guards, templates, and the dispatcher against an SMTP port that
/// refuses connections and against the real Postfix of the test script. The tests share one app per engine whose
/// clock they move and whose default mail account sends to a closed port, so nothing here mails another test's app.
/// </summary>
public sealed class OutboundTests
{
    private const string DeskAddress = "desk@atiende.test";
    private static readonly ConcurrentDictionary<Engine, Lazy<Task<TestApp>>> Apps = new();

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AgentPublicReply_QueuesOneMail_ThreadedToTheTicket_WithoutAutoSubmitted(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = TestApp.UniqueEmail("ana");
        var cc = TestApp.UniqueEmail("luis");
        var id = (await agent.Client.CreateTicketAsync(new { subject = "Printer jam", body = "b", requester = new { email = requester, name = "Ana" }, cc = new[] { cc } })).Id();
        var desk = await AccountIdAsync(app, DeskAddress);
        var original = await ReceivedAsync(app, id, desk);

        var reply = await agent.Client.ReplyAsync(id, "Open tray 2 and pull the sheet out.");

        var article = reply.GetProperty("article");
        Assert.Equal("queued", article.GetProperty("delivery").Str("status"));
        var row = Assert.Single(await OutboxAsync(app, id));
        Assert.Equal(article.Id(), row.ArticleId);
        Assert.Equal(desk, row.AccountId);
        Assert.False(row.Automatic);
        Assert.Equal($"{requester}, {cc}", row.Recipients);
        var mail = Parse(row);
        Assert.Equal(requester, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal(cc, Assert.Single(mail.Cc.Mailboxes).Address);
        Assert.Equal(DeskAddress, Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal(DeskAddress, Assert.Single(mail.ReplyTo.Mailboxes).Address);
        Assert.Equal($"Re: Printer jam [#{id}]", mail.Subject);
        Assert.Matches($@"^atiende\.{id}\.reply\.[0-9a-f]{{16}}@atiende\.test$", mail.MessageId);
        Assert.Equal(row.MessageId, mail.MessageId);
        Assert.Equal(original, mail.InReplyTo);
        Assert.Equal([original], mail.References);
        Assert.Null(mail.Headers[HeaderId.AutoSubmitted]);
        Assert.Null(mail.Headers["X-Auto-Response-Suppress"]);
        Assert.Contains("Open tray 2 and pull the sheet out.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Reply to this email to add to ticket #{id}.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open tray 2", mail.HtmlBody, StringComparison.Ordinal);

        // The Message-ID is recorded with the article, so the customer's answer threads back by In-Reply-To.
        var recorded = await app.WithDbAsync(db => db.MailMessages.SingleAsync(m => m.MessageId == mail.MessageId));
        Assert.True(recorded.Outbound);
        Assert.Equal(id, recorded.TicketId);
        Assert.Equal(article.Id(), recorded.ArticleId);
        var listed = (await agent.Client.ItemsAsync($"tickets/{id}/articles")).Single(a => a.Id() == article.Id());
        Assert.Equal("queued", listed.GetProperty("delivery").Str("status"));

        // The next reply answers this one, and references the whole thread in order.
        await agent.Client.ReplyAsync(id, "Did it work?");
        var next = Parse((await OutboxAsync(app, id))[1]);
        Assert.Equal(mail.MessageId, next.InReplyTo);
        Assert.Equal([original, mail.MessageId!], next.References);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task InternalNote_And_CustomerReply_QueueNothing(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Invoice", body = "Where is it?" })).Id();

        var note = await agent.Client.ReplyAsync(id, "Ask accounting.", isInternal: true);
        await customer.Client.ReplyAsync(id, "Any news?");

        Assert.Empty(await OutboxAsync(app, id));
        var listed = (await agent.Client.ItemsAsync($"tickets/{id}/articles")).Single(a => a.Id() == note.GetProperty("article").Id());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("delivery").ValueKind);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Acknowledgement_ResolvedAndClosedNotices_AreAutoSubmitted(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "VPN down", body = "It does not connect." })).Id();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
            var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
            var first = await db.Articles.Where(a => a.TicketId == id).OrderBy(a => a.Id).FirstAsync();
            var account = await db.MailAccounts.SingleAsync(a => a.Address == DeskAddress);
            await scope.ServiceProvider.GetRequiredService<MailOutbound>().EnqueueAcknowledgementAsync(db, ticket, first, account, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await agent.Client.ReplyAsync(id, "Fixed the certificate.", status: "resolved");
        await (await customer.Client.PostAsync($"tickets/{id}/confirm", null)).EnsureStatus(HttpStatusCode.OK);

        var rows = await OutboxAsync(app, id);
        Assert.Equal(4, rows.Count);
        var (ack, reply, resolved, closed) = (Kind(rows, "ack"), Kind(rows, "reply"), Kind(rows, "resolved"), Kind(rows, "closed"));
        Assert.Equal([true, false, true, true], new[] { ack, reply, resolved, closed }.Select(r => r.Automatic));
        Assert.NotNull(reply.ArticleId);
        Assert.All(new[] { ack, resolved, closed }, r => Assert.Null(r.ArticleId));
        foreach (var automatic in new[] { ack, resolved, closed }.Select(Parse))
        {
            Assert.Equal("auto-generated", automatic.Headers[HeaderId.AutoSubmitted]);
            Assert.Equal("All", automatic.Headers["X-Auto-Response-Suppress"]);
            Assert.Equal(customer.Email, Assert.Single(automatic.To.Mailboxes).Address);
        }

        Assert.Equal($"Re: VPN down [#{id}]", Parse(ack).Subject);
        Assert.Contains($"opened ticket #{id}", Parse(ack).TextBody, StringComparison.Ordinal);
        Assert.Equal($"Resolved: VPN down [#{id}]", Parse(resolved).Subject);
        var confirm = $"http://localhost:5080/portal/tickets/{id}/confirm";
        Assert.Contains(confirm, Parse(resolved).TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{confirm}\">", Parse(resolved).HtmlBody, StringComparison.Ordinal);
        Assert.Equal($"Closed: VPN down [#{id}]", Parse(closed).Subject);
        Assert.Subset(new[] { ack.MessageId, reply.MessageId, resolved.MessageId }.ToHashSet(), Parse(closed).References.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AutoClose_ByTheScheduler_SendsTheClosedNotice_Once(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Quiet customer", body = "b" })).Id();
        await agent.Client.ReplyAsync(id, "Should be fine now.", status: "resolved");

        app.Clock!.Advance(TimeSpan.FromDays(5).Add(TimeSpan.FromMinutes(1)));
        await app.RunSchedulerAsync();
        await app.RunSchedulerAsync();

        Assert.Equal("closed", (await agent.Client.GetTicketAsync(id)).Str("status"));
        var closed = Parse(Kind(await OutboxAsync(app, id), "closed"));
        Assert.Equal("auto-generated", closed.Headers[HeaderId.AutoSubmitted]);
        Assert.Equal(customer.Email, Assert.Single(closed.To.Mailboxes).Address);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AutomaticMail_IsCappedPerRecipientAndHour_AndNeverGoesToMachinesOrOurselves(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = TestApp.UniqueEmail("busy");
        var id = (await agent.Client.CreateTicketAsync(new { subject = "Flapping", body = "b", requester = new { email = requester } })).Id();

        for (var i = 0; i < 7; i++)
        {
            await agent.Client.PatchTicketAsync(id, new { status = "resolved" });
            await agent.Client.PatchTicketAsync(id, new { status = "open" });
        }

        Assert.Equal(5, (await OutboxAsync(app, id)).Count(r => r.Automatic && r.Recipients == requester));

        app.Clock!.Advance(TimeSpan.FromMinutes(61));
        await agent.Client.PatchTicketAsync(id, new { status = "resolved" });
        Assert.Equal(6, (await OutboxAsync(app, id)).Count(r => r.Automatic));

        foreach (var machine in new[] { $"mailer-daemon@{Guid.NewGuid():N}.example.test", $"noreply@{Guid.NewGuid():N}.example.test", DeskAddress })
        {
            var ticket = (await agent.Client.CreateTicketAsync(new { subject = "Loop?", body = "b", requester = new { email = machine } })).Id();
            await agent.Client.PatchTicketAsync(ticket, new { status = "resolved" });
            Assert.Empty(await OutboxAsync(app, ticket));
        }
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Templates_SpeakSpanish_ToASpanishRequester(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var email = TestApp.UniqueEmail("lucia");
        (await app.Admin.PostAsJsonAsync("users", new { email, name = "Lucía", role = "customer", locale = "es" })).EnsureSuccessStatusCode();
        var id = (await agent.Client.CreateTicketAsync(new { subject = "Factura", body = "b", requester = new { email } })).Id();

        await agent.Client.ReplyAsync(id, "Te la reenviamos.", status: "resolved");

        var rows = await OutboxAsync(app, id);
        var (reply, resolved) = (Parse(Kind(rows, "reply")), Parse(Kind(rows, "resolved")));
        Assert.Contains($"Responde a este correo para añadir algo al ticket #{id}.", reply.TextBody, StringComparison.Ordinal);
        Assert.Equal($"Resuelto: Factura [#{id}]", resolved.Subject);
        Assert.StartsWith("Hola, Lucía:", resolved.TextBody, StringComparison.Ordinal);
        Assert.Contains("Consideramos resuelto", resolved.TextBody, StringComparison.Ordinal);
        Assert.Contains("Hola, Lucía:", resolved.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_EncodeValuesInHtml_AndNeverExpandPlaceholdersInValues()
    {
        var values = new Dictionary<string, MailValue>(StringComparer.Ordinal)
        {
            ["ticket.id"] = new("7"),
            ["ticket.subject"] = new("<script>alert(1)</script> {{requester.name}}"),
            ["requester.name"] = new("Ana & Co"),
            ["confirm.url"] = MailTemplates.Link("https://help.example.test/portal/tickets/7/confirm?a=1&b=\"2\""),
        };

        var mail = MailTemplates.Render(MailTemplate.Resolved, "en-GB", values);

        Assert.Equal("Resolved: <script>alert(1)</script> {{requester.name}}", mail.Subject);
        Assert.Contains("\"<script>alert(1)</script> {{requester.name}}\"", mail.Text, StringComparison.Ordinal);
        Assert.Contains("\n-- \nThis is an automatic message.", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; {{requester.name}}", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Hello Ana &amp; Co,", mail.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://help.example.test/portal/tickets/7/confirm?a=1&amp;b=&quot;2&quot;\"", mail.Html, StringComparison.Ordinal);
        Assert.Equal("es", MailTemplates.Language("es-MX"));
        Assert.Equal("en", MailTemplates.Language(null));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Dispatcher_RetriesAnUnreachableServerWithBackoff_ThenDeadLetters_AndTheArticleShowsFailed(Engine engine)
    {
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "No mail", body = "b" })).Id();
        var down = await NewAccountAsync(app, $"down-{Guid.NewGuid():N}@atiende.test", "127.0.0.1", ClosedPort(), MailSecurity.None);
        await ReceivedAsync(app, id, down);
        var articleId = (await agent.Client.ReplyAsync(id, "Here you go.")).GetProperty("article").Id();
        var clock = app.Clock!;

        var expectedWaits = OutboxDispatcher.Backoff[..5];
        Assert.Equal([1, 5, 30, 120, 360], expectedWaits.Select(w => w.TotalMinutes));
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await app.RunOutboxAsync();
            var row = Assert.Single(await OutboxAsync(app, id));
            Assert.Equal((OutboxStatus.Queued, attempt), (row.Status, row.Attempts));
            Assert.Equal(clock.GetUtcNow() + expectedWaits[attempt - 1], row.NextAttemptAt);
            Assert.Contains("(try", row.LastError, StringComparison.Ordinal);

            await app.RunOutboxAsync(); // not due yet: untouched
            Assert.Equal(attempt, Assert.Single(await OutboxAsync(app, id)).Attempts);
            clock.Advance(expectedWaits[attempt - 1]);
        }

        await app.RunOutboxAsync();
        var failed = Assert.Single(await OutboxAsync(app, id));
        Assert.Equal((OutboxStatus.Failed, 6), (failed.Status, failed.Attempts));

        var seenByAgent = (await agent.Client.ItemsAsync($"tickets/{id}/articles")).Single(a => a.Id() == articleId).GetProperty("delivery");
        Assert.Equal("failed", seenByAgent.Str("status"));
        Assert.Equal(6, seenByAgent.GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(seenByAgent.Str("lastError")));
        var seenByCustomer = (await customer.Client.ItemsAsync($"tickets/{id}/articles")).Single(a => a.Id() == articleId).GetProperty("delivery");
        Assert.Equal("failed", seenByCustomer.Str("status"));
        Assert.Equal(JsonValueKind.Null, seenByCustomer.GetProperty("lastError").ValueKind);
        Assert.Single(await agent.Client.ItemsAsync($"tickets/{id}/history"), h => h.Str("kind") == "delivery_failed");
        Assert.DoesNotContain(await customer.Client.ItemsAsync($"tickets/{id}/history"), h => h.Str("kind") == "delivery_failed");

        // An admin sends it again: queued now, with a fresh set of tries; a sent message cannot be retried.
        var listed = await app.Admin.ItemsAsync("admin/mail/outbox?status=failed&limit=500");
        Assert.Contains(listed, o => o.Id() == failed.Id);
        var retried = await (await app.Admin.PostAsync($"admin/mail/outbox/{failed.Id}/retry", null)).EnsureStatus(HttpStatusCode.OK);
        var body = await retried.Json();
        Assert.Equal(("queued", 0), (body.Str("status"), body.GetProperty("attempts").GetInt32()));
        Assert.Contains(await app.Admin.ItemsAsync("admin/mail/outbox?status=queued&limit=500"), o => o.Id() == failed.Id);
        await (await agent.Client.PostAsync($"admin/mail/outbox/{failed.Id}/retry", null)).EnsureStatus(HttpStatusCode.Forbidden);
        await (await app.Admin.PostAsync("admin/mail/outbox/999999999/retry", null)).EnsureStatus(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Dispatcher_SendsThroughARealSmtpServer_IntoTheCustomersMailbox(Engine engine)
    {
        var (host, smtpPort, imapPort, password) = RealServers();
        var app = await AppAsync(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = $"customer9+{Guid.NewGuid():N}@example.test";
        var id = (await agent.Client.CreateTicketAsync(new { subject = "Real mail", body = "b", requester = new { email = customer, name = "Nueve" } })).Id();
        var helpdesk = await HelpdeskAccountAsync(app, host, smtpPort, password);
        var original = await ReceivedAsync(app, id, helpdesk);
        var articleId = (await agent.Client.ReplyAsync(id, "This one really travels.")).GetProperty("article").Id();
        var queued = Assert.Single(await OutboxAsync(app, id));

        await app.RunOutboxAsync();

        var sent = Assert.Single(await OutboxAsync(app, id));
        Assert.True(sent.Status == OutboxStatus.Sent, $"not sent: {sent.LastError}");
        Assert.Equal(app.Clock!.GetUtcNow(), sent.SentAt);
        var delivery = (await agent.Client.ItemsAsync($"tickets/{id}/articles")).Single(a => a.Id() == articleId).GetProperty("delivery");
        Assert.Equal("sent", delivery.Str("status"));
        Assert.Single(await agent.Client.ItemsAsync($"tickets/{id}/history"), h => h.Str("kind") == "mail_sent");

        var received = await FetchAsync(host, imapPort, "customer9@example.test", password, queued.MessageId);
        Assert.Equal($"Re: Real mail [#{id}]", received.Subject);
        Assert.Equal(original, received.InReplyTo);
        Assert.Equal("helpdesk@atiende.test", Assert.Single(received.From.Mailboxes).Address);
        Assert.Equal(customer, Assert.Single(received.To.Mailboxes).Address);
        Assert.Contains("This one really travels.", received.TextBody, StringComparison.Ordinal);
    }

    private static Task<TestApp> AppAsync(Engine engine) =>
        Apps.GetOrAdd(engine, e => new Lazy<Task<TestApp>>(async () =>
        {
            var app = await TestApp.StartAsync(e, [], new TestClock(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero)));
            await NewAccountAsync(app, DeskAddress, "127.0.0.1", ClosedPort(), MailSecurity.None); // the default sender
            return app;
        })).Value;

    private static async Task<long> NewAccountAsync(TestApp app, string address, string host, int port, MailSecurity security, string? user = null, string? password = null) =>
        await app.WithDbAsync(async db =>
        {
            var account = new MailAccount
            {
                Name = address,
                Address = address,
                SenderName = "Atiende Support",
                SmtpHost = host,
                SmtpPort = port,
                SmtpSecurity = security,
                SmtpUser = user,
                SmtpPasswordProtected = password is null ? null : app.Services.GetRequiredService<MailSecrets>().Protect(password),
                UpdatedAt = app.Clock!.GetUtcNow(),
            };
            db.MailAccounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });

    private static async Task<long> HelpdeskAccountAsync(TestApp app, string host, int port, string password)
    {
        const string address = "helpdesk@atiende.test";
        var existing = await app.WithDbAsync(db => db.MailAccounts.Where(a => a.Address == address).Select(a => (long?)a.Id).FirstOrDefaultAsync());
        return existing ?? await NewAccountAsync(app, address, host, port, MailSecurity.StartTls, address, password);
    }

    private static Task<long> AccountIdAsync(TestApp app, string address) =>
        app.WithDbAsync(db => db.MailAccounts.Where(a => a.Address == address).Select(a => a.Id).SingleAsync());

    /// <summary>Records that the ticket's first mail came in on the account, as the inbound side does; returns its Message-ID.</summary>
    private static async Task<string> ReceivedAsync(TestApp app, long ticketId, long accountId)
    {
        var messageId = $"{Guid.NewGuid():N}@client.example.test";
        await app.WithDbAsync(async db =>
        {
            db.MailMessages.Add(new MailMessage { MessageId = messageId, TicketId = ticketId, AccountId = accountId, At = app.Clock!.GetUtcNow() });
            return await db.SaveChangesAsync();
        });
        return messageId;
    }

    private static Task<List<OutboxMail>> OutboxAsync(TestApp app, long ticketId) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(o => o.TicketId == ticketId).OrderBy(o => o.Id).ToListAsync());

    private static MimeMessage Parse(OutboxMail row) => MimeMessage.Load(new MemoryStream(row.Raw));

    /// <summary>The one message of a kind (ack, reply, resolved, closed): its Message-ID says which.</summary>
    private static OutboxMail Kind(List<OutboxMail> rows, string kind) => Assert.Single(rows, r => r.MessageId.Contains($".{kind}.", StringComparison.Ordinal));

    /// <summary>A local port nothing listens on: connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static (string Host, int SmtpPort, int ImapPort, string Password) RealServers()
    {
        var host = Environment.GetEnvironmentVariable("ATIENDE_TEST_SMTP_HOST");
        var smtp = Environment.GetEnvironmentVariable("ATIENDE_TEST_SMTP_PORT");
        var imap = Environment.GetEnvironmentVariable("ATIENDE_TEST_IMAP_PORT");
        var password = Environment.GetEnvironmentVariable("ATIENDE_TEST_MAIL_PASSWORD");
        var smtpPort = int.TryParse(smtp, out var s) ? s : 0;
        var imapPort = int.TryParse(imap, out var i) ? i : 0;
        if (string.IsNullOrEmpty(host) || smtpPort == 0 || imapPort == 0 || string.IsNullOrEmpty(password))
        {
            Assert.Fail("The real mail servers are missing: ATIENDE_TEST_SMTP_HOST, ATIENDE_TEST_SMTP_PORT, ATIENDE_TEST_IMAP_PORT and "
                + "ATIENDE_TEST_MAIL_PASSWORD must be set. Run the tests with ./test.sh, which starts Postfix and Dovecot (scripts/mail.sh).");
        }

        return (host!, smtpPort, imapPort, password!);
    }

    /// <summary>Reads the mailbox over IMAP until the message with this Message-ID has been delivered (Postfix hands it on asynchronously).</summary>
    private static async Task<MimeMessage> FetchAsync(string host, int port, string user, string password, string messageId)
    {
        using var imap = new ImapClient();
        imap.ServerCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None; // self-signed
        await imap.ConnectAsync(host, port, SecureSocketOptions.StartTls);
        await imap.AuthenticateAsync(user, password);
        for (var tries = 0; tries < 100; tries++)
        {
            var inbox = imap.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            var found = await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
            if (found.Count > 0)
            {
                var message = await inbox.GetMessageAsync(found[^1]);
                await imap.DisconnectAsync(true);
                return message;
            }

            await inbox.CloseAsync();
            await Task.Delay(200);
        }

        Assert.Fail($"Message <{messageId}> did not arrive in {user}'s INBOX within 20 seconds.");
        return null!;
    }
}
