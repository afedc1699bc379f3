using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Atiende.Server.Mail;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Mail;

public sealed class InboundMailTests
{
    private static async Task<JsonElement> PostMailAsync(TestApp app, byte[] raw, HttpStatusCode expected, string? account = null)
    {
        using var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var response = await app.Admin.PostAsync(account is null ? "mail/inbound" : $"mail/inbound?account={Uri.EscapeDataString(account)}", content);
        await response.EnsureStatus(expected);
        return await response.Json();
    }

    private static async Task EnsureHelpdeskAddressAsync(TestApp app) =>
        await app.WithDbAsync(async db =>
        {
            if (!await db.MailAccounts.AnyAsync(a => a.Address == "help@atiende.test"))
            {
                db.MailAccounts.Add(new MailAccount { Name = "help", Address = "help@atiende.test", UpdatedAt = TimeProvider.System.GetUtcNow() });
                await db.SaveChangesAsync();
            }

            return true;
        });

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task NewMail_BecomesATicket_RequesterCreated_RecipientsBecomeCc_QuoteFolded(Engine engine)
    {
        var app = await TestApp.Get(engine);
        await EnsureHelpdeskAddressAsync(app);
        var from = TestApp.UniqueEmail("ana");
        var colleague = TestApp.UniqueEmail("luis");
        var raw = MailMessages.Raw($"Ana Pérez <{from}>", "Fwd: Re: Printer on fire", "It smokes.\n\nOn Mon, 2 Mar 2026, Luis wrote:\n> is it on?",
            MailMessages.NewId(), to: "help@atiende.test", cc: colleague);

        var result = await PostMailAsync(app, raw, HttpStatusCode.Created);

        var ticket = await app.Admin.GetTicketAsync(result.GetProperty("ticketId").GetInt64());
        Assert.Equal("Printer on fire", ticket.Str("subject"));
        Assert.Equal("email", ticket.Str("channel"));
        Assert.Equal("new", ticket.Str("status"));
        Assert.Equal(from, ticket.GetProperty("requester").Str("email"));
        Assert.Equal("Ana Pérez", ticket.GetProperty("requester").Str("name"));
        Assert.Equal([colleague], ticket.GetProperty("cc").EnumerateArray().Select(c => c.GetString()));
        var article = Assert.Single(await app.Admin.ItemsAsync($"tickets/{ticket.Id()}/articles"));
        Assert.Equal("It smokes.", article.Str("body"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task SameMessageTwice_IsIngestedOnce_WithOrWithoutAMessageId(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var withId = MailMessages.Raw(TestApp.UniqueEmail("a"), "Twice", "body", MailMessages.NewId());
        var first = await PostMailAsync(app, withId, HttpStatusCode.Created);
        var second = await PostMailAsync(app, withId, HttpStatusCode.OK);
        Assert.Equal("duplicate", second.Str("outcome"));
        Assert.Equal(first.GetProperty("ticketId").GetInt64(), second.GetProperty("ticketId").GetInt64());

        var withoutId = MailMessages.Raw(TestApp.UniqueEmail("b"), "No id", "body");
        var a = await PostMailAsync(app, withoutId, HttpStatusCode.Created);
        var b = await PostMailAsync(app, withoutId, HttpStatusCode.OK);
        Assert.Equal(a.GetProperty("ticketId").GetInt64(), b.GetProperty("ticketId").GetInt64());
        Assert.Single(await app.Admin.ItemsAsync($"tickets/{a.GetProperty("ticketId").GetInt64()}/articles"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Replies_ThreadByReference_AndBySubjectTagOnlyForParticipants(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = TestApp.UniqueEmail("c");
        var firstId = MailMessages.NewId();
        var ticketId = (await PostMailAsync(app, MailMessages.Raw(customer, "VPN", "down", firstId), HttpStatusCode.Created)).GetProperty("ticketId").GetInt64();

        var byReference = await PostMailAsync(app, MailMessages.Raw(customer, "Re: VPN", "still down", MailMessages.NewId(), inReplyTo: firstId), HttpStatusCode.Created);
        Assert.Equal(ticketId, byReference.GetProperty("ticketId").GetInt64());

        var byTag = await PostMailAsync(app, MailMessages.Raw(customer, $"Re: VPN [#{ticketId}]", "any news?", MailMessages.NewId()), HttpStatusCode.Created);
        Assert.Equal(ticketId, byTag.GetProperty("ticketId").GetInt64());

        var stranger = await PostMailAsync(app, MailMessages.Raw(TestApp.UniqueEmail("mallory"), $"Re: [#{ticketId}]", "let me in", MailMessages.NewId()), HttpStatusCode.Created);
        Assert.NotEqual(ticketId, stranger.GetProperty("ticketId").GetInt64());
        Assert.Equal(3, (await app.Admin.ItemsAsync($"tickets/{ticketId}/articles")).Count);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AgentByMail_Answers_CustomerByMail_Reopens_AndAClosedTicketGetsAFollowUp(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var firstId = MailMessages.NewId();
        var ticketId = (await PostMailAsync(app, MailMessages.Raw(customer.Email, "Invoice", "wrong amount", firstId), HttpStatusCode.Created)).GetProperty("ticketId").GetInt64();

        await PostMailAsync(app, MailMessages.Raw(agent.Email, $"Re: Invoice [#{ticketId}]", "Fixed, see attached.", MailMessages.NewId()), HttpStatusCode.Created);
        Assert.Equal("answered", (await app.Admin.GetTicketAsync(ticketId)).Str("status"));
        await PostMailAsync(app, MailMessages.Raw(customer.Email, "Re: Invoice", "Still wrong.", MailMessages.NewId(), inReplyTo: firstId), HttpStatusCode.Created);
        Assert.Equal("open", (await app.Admin.GetTicketAsync(ticketId)).Str("status"));

        await app.Admin.ReplyAsync(ticketId, "Corrected now.", status: "resolved");
        (await customer.Client.PostAsync($"tickets/{ticketId}/confirm", null)).EnsureSuccessStatusCode();
        var late = await PostMailAsync(app, MailMessages.Raw(customer.Email, "Re: Invoice", "One more thing", MailMessages.NewId(), inReplyTo: firstId), HttpStatusCode.Created);
        var followUp = late.GetProperty("ticketId").GetInt64();
        Assert.NotEqual(ticketId, followUp);
        Assert.Equal("closed", (await app.Admin.GetTicketAsync(ticketId)).Str("status"));
        Assert.Contains((await app.Admin.GetTicketAsync(followUp)).GetProperty("links").EnumerateArray(), l => l.Str("kind") == "follow_up_of");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AutoReply_IsKeptButMovesNothing_AndABounceIsADeliveryFailureNotAReply(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = TestApp.UniqueEmail("c");
        var firstId = MailMessages.NewId();
        var ticketId = (await PostMailAsync(app, MailMessages.Raw(customer, "Order", "late", firstId), HttpStatusCode.Created)).GetProperty("ticketId").GetInt64();
        await app.Admin.ReplyAsync(ticketId, "Shipped today.");

        await PostMailAsync(app, MailMessages.Raw(customer, "Out of office", "Back Monday.", MailMessages.NewId(), inReplyTo: firstId, extraHeaders: "Auto-Submitted: auto-replied\r\n"), HttpStatusCode.Created);
        Assert.Equal("answered", (await app.Admin.GetTicketAsync(ticketId)).Str("status"));
        Assert.Equal(3, (await app.Admin.ItemsAsync($"tickets/{ticketId}/articles")).Count);

        var bounce = System.Text.Encoding.UTF8.GetBytes($"""
            From: MAILER-DAEMON@mx.example.test
            To: help@atiende.test
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <{MailMessages.NewId()}>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            Delivery failed.
            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.test

            Final-Recipient: rfc822; {customer}
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 no such user

            --b
            Content-Type: text/rfc822-headers

            Message-ID: <{firstId}>
            Subject: Order

            --b--

            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        var result = await PostMailAsync(app, bounce, HttpStatusCode.Created);
        Assert.Equal(ticketId, result.GetProperty("ticketId").GetInt64());
        Assert.Equal(3, (await app.Admin.ItemsAsync($"tickets/{ticketId}/articles")).Count);
        var failure = Assert.Single(await app.Admin.ItemsAsync($"tickets/{ticketId}/history"), h => h.Str("kind") == "delivery_failed");
        Assert.Contains("5.1.1", failure.Str("to"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Unhandled_IsQuarantinedWithItsBytes_AndCanBeRetriedOrDiscarded(Engine engine)
    {
        var app = await TestApp.Get(engine);
        await EnsureHelpdeskAddressAsync(app);
        var loop = MailMessages.Raw("help@atiende.test", "Loop", "our own mail came back", MailMessages.NewId());
        var quarantined = await PostMailAsync(app, loop, HttpStatusCode.Accepted);
        Assert.Equal("quarantined", quarantined.Str("outcome"));
        Assert.Contains("loop", quarantined.Str("reason"), StringComparison.OrdinalIgnoreCase);
        var id = quarantined.GetProperty("quarantineId").GetInt64();

        var listed = await app.Admin.ItemsAsync("admin/mail/quarantine");
        Assert.Contains(listed, q => q.Id() == id);
        Assert.Equal(loop, await app.Admin.GetByteArrayAsync($"admin/mail/quarantine/{id}/raw"));
        await (await app.Admin.PostAsync($"admin/mail/quarantine/{id}/discard", null)).EnsureStatus(HttpStatusCode.NoContent);
        Assert.DoesNotContain(await app.Admin.ItemsAsync("admin/mail/quarantine"), q => q.Id() == id);

        // A message that fails for a reason that goes away is retried into a ticket.
        var noSender = System.Text.Encoding.UTF8.GetBytes($"To: help@atiende.test\r\nSubject: who am I\r\nMessage-ID: <{MailMessages.NewId()}>\r\n\r\nbody\r\n");
        var held = (await PostMailAsync(app, noSender, HttpStatusCode.Accepted)).GetProperty("quarantineId").GetInt64();
        var retried = await app.Admin.PostAsync($"admin/mail/quarantine/{held}/retry", null);
        Assert.Equal("quarantined", (await retried.Json()).Str("outcome"));
        Assert.Contains(await app.Admin.ItemsAsync("admin/mail/quarantine"), q => q.Id() == held);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Attachments_AreStored_NamedSafely_AndServedAsDownloadsUnlessSafeImages(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = await app.NewUserAsync("customer");
        var result = await PostMailAsync(app, MailMessages.WithFiles(customer.Email, MailMessages.NewId()), HttpStatusCode.Created);
        var ticketId = result.GetProperty("ticketId").GetInt64();

        var article = Assert.Single(await customer.Client.ItemsAsync($"tickets/{ticketId}/articles"));
        Assert.DoesNotContain("<script", article.Str("bodyHtml"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cid:shot@x", article.Str("bodyHtml"), StringComparison.Ordinal);
        var files = article.GetProperty("attachments").EnumerateArray().ToList();
        var pdf = Assert.Single(files, f => f.Str("contentType") == "application/pdf");
        Assert.Equal("invoice.pdf", pdf.Str("fileName"));
        var png = Assert.Single(files, f => f.Str("contentType") == "image/png");

        var download = await customer.Client.GetAsync($"attachments/{pdf.Id()}");
        await download.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-1.4\n", System.Text.Encoding.ASCII.GetString(await download.Content.ReadAsByteArrayAsync()));
        var image = await customer.Client.GetAsync($"attachments/{png.Id()}");
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Null(image.Content.Headers.ContentDisposition);

        var other = await app.NewUserAsync("customer");
        await (await other.Client.GetAsync($"attachments/{pdf.Id()}")).EnsureStatus(HttpStatusCode.NotFound);
        var original = await app.Admin.GetAsync($"articles/{article.Id()}/raw");
        Assert.Equal("message/rfc822", original.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task BlockedSender_BecomesSpam(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var domain = $"spam{Guid.NewGuid():N}.test";
        await (await app.Admin.PostAsync("admin/mail/blocked-senders", System.Net.Http.Json.JsonContent.Create(new { pattern = domain }))).EnsureStatus(HttpStatusCode.Created);

        var result = await PostMailAsync(app, MailMessages.Raw($"win@{domain}", "You won", "click", MailMessages.NewId()), HttpStatusCode.Created);

        Assert.Equal("spam", (await app.Admin.GetTicketAsync(result.GetProperty("ticketId").GetInt64())).Str("status"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task APersonGetsOneAcknowledgement_AnAutomaticSenderNone(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var address = $"ack-{Guid.NewGuid():N}@atiende.test";
        await app.WithDbAsync(async db =>
        {
            db.MailAccounts.Add(new MailAccount
            {
                Name = address,
                Address = address,
                SmtpHost = "127.0.0.1",
                SmtpPort = 25,
                UpdatedAt = TimeProvider.System.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });
        var person = TestApp.UniqueEmail("person");
        var robot = TestApp.UniqueEmail("robot");

        var human = await PostMailAsync(app, MailMessages.Raw(person, "Hello", "Help me", MailMessages.NewId(), to: address), HttpStatusCode.Created, address);
        var automatic = await PostMailAsync(app, MailMessages.Raw(robot, "Alert", "Disk full", MailMessages.NewId(), to: address, extraHeaders: "Auto-Submitted: auto-generated\r\n"), HttpStatusCode.Created, address);

        var outbox = await app.WithDbAsync(db => db.Outbox.Where(o => o.Recipients.Contains(person) || o.Recipients.Contains(robot)).ToListAsync());
        var ack = Assert.Single(outbox);
        Assert.Contains(person, ack.Recipients, StringComparison.Ordinal);
        Assert.Equal(human.GetProperty("ticketId").GetInt64(), ack.TicketId);
        Assert.True(ack.Automatic);
        Assert.NotEqual(automatic.GetProperty("ticketId").GetInt64(), ack.TicketId);
    }
}
