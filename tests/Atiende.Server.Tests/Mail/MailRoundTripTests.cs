using System.Net;
using System.Net.Http.Json;
using Atiende.Server.Mail;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Mail;

/// <summary>
/// A whole conversation through the real Postfix and Dovecot: the customer's mail becomes a ticket when the mailbox is
/// read, the agent's reply reaches the customer's mailbox threaded to it, and the customer's answer lands on the same
/// ticket and reopens it.
/// </summary>
public sealed class MailRoundTripTests
{
    public static TheoryData<Engine, string> EnginesAndProtocols => new()
    {
        { Engine.Sqlite, "imap" }, { Engine.Sqlite, "pop3" }, { Engine.Postgres, "imap" }, { Engine.Postgres, "pop3" },
    };

    [Theory]
    [MemberData(nameof(EnginesAndProtocols))]
    public async Task CustomerMail_BecomesATicket_AgentReplyArrivesThreaded_CustomerAnswerReopensTheSameTicket(Engine engine, string protocol)
    {
        var servers = RealMailServers.FromEnvironment();
        var app = await MailTestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var desk = servers.NewMailbox("desk", "atiende.test");
        var customer = servers.NewMailbox("customer", "example.test");
        var imap = protocol == "imap";
        var accountId = await CreateAccountAsync(app, servers, desk, protocol);

        // 1. The customer writes in; one poll makes the ticket and marks the message on the server.
        var word = TestApp.UniqueWord();
        var first = RealMailServers.Message($"Ana Cliente <{customer}>", desk, $"Printer on fire {word}", "It smokes since this morning.");
        await servers.SendAsync(first);
        await servers.WaitForMessagesAsync(desk, 1);

        var pass = await app.PollMailAsync(accountId);

        Assert.Equal(new MailPollPass(true, Accepted: 1), pass);
        var ticketId = await TicketOfAsync(app, first.MessageId!);
        var ticket = await agent.Client.GetTicketAsync(ticketId);
        Assert.Equal(($"Printer on fire {word}", "new", "email", customer), (ticket.Str("subject"), ticket.Str("status"), ticket.Str("channel"),
            ticket.GetProperty("requester").Str("email")));
        Assert.Equal(imap ? (1, 1) : (0, 0), await servers.CountAsync(desk)); // IMAP: flagged \Seen; POP3: deleted
        Assert.Equal(new MailPollPass(true), await app.PollMailAsync(accountId)); // nothing new

        // 2. The agent replies; the outbox sends it through Postfix into the customer's mailbox, threaded.
        var articleId = (await agent.Client.ReplyAsync(ticketId, "Unplug it and keep the window open.")).GetProperty("article").Id();
        Assert.Equal("answered", (await agent.Client.GetTicketAsync(ticketId)).Str("status"));
        await app.RunOutboxAsync();
        var outbox = await app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(o => o.ArticleId == articleId));
        Assert.True(outbox.Status == OutboxStatus.Sent, $"The reply was not sent: {outbox.LastError}");

        var reply = await servers.FetchAsync(customer, "Message-ID", outbox.MessageId);
        Assert.Equal($"Re: Printer on fire {word} [#{ticketId}]", reply.Subject);
        Assert.Equal(outbox.MessageId, reply.MessageId);
        Assert.Equal(first.MessageId, reply.References[0]); // the thread starts at the customer's message
        Assert.Contains(reply.InReplyTo, reply.References); // and the reply answers the latest message of it
        Assert.Equal(desk, Assert.Single(reply.From.Mailboxes).Address);
        Assert.Equal(customer, Assert.Single(reply.To.Mailboxes).Address);
        Assert.Contains("Unplug it and keep the window open.", reply.TextBody, StringComparison.Ordinal);

        // 3. The customer answers that mail; the next poll appends it to the same ticket and reopens it.
        var answer = RealMailServers.Message(customer, desk, $"Re: {reply.Subject}", "Done, the smoke is gone.", inReplyTo: reply.MessageId);
        await servers.SendAsync(answer);
        await servers.WaitForMessagesAsync(desk, imap ? 2 : 1);

        Assert.Equal(new MailPollPass(true, Accepted: 1), await app.PollMailAsync(accountId));
        Assert.Equal(ticketId, await TicketOfAsync(app, answer.MessageId!));
        Assert.Equal("open", (await agent.Client.GetTicketAsync(ticketId)).Str("status"));
        var articles = await agent.Client.ItemsAsync($"tickets/{ticketId}/articles");
        Assert.Equal(["It smokes since this morning.", "Unplug it and keep the window open.", "Done, the smoke is gone."], articles.Select(a => a.Str("body")));
        var requesterId = ticket.GetProperty("requester").Id();
        Assert.Equal(1, await app.WithDbAsync(db => db.Tickets.CountAsync(t => t.RequesterId == requesterId)));
        Assert.Equal(imap ? (2, 2) : (0, 0), await servers.CountAsync(desk));
    }

    private static async Task<long> CreateAccountAsync(TestApp app, RealMailServers servers, string desk, string protocol)
    {
        var response = await app.Admin.PostAsJsonAsync("admin/mail-accounts", new
        {
            name = desk,
            address = desk,
            senderName = "Atiende Support",
            inboundProtocol = protocol,
            inboundHost = servers.Host,
            inboundPort = protocol == "imap" ? servers.ImapPort : servers.Pop3Port,
            inboundSecurity = "start_tls",
            inboundPassword = servers.Password,
            smtpHost = servers.Host,
            smtpPort = servers.SmtpPort,
            smtpSecurity = "start_tls",
            smtpUser = desk,
            smtpPassword = servers.Password,
        });
        await response.EnsureStatus(HttpStatusCode.Created);
        return (await response.Json()).Id();
    }

    private static Task<long> TicketOfAsync(TestApp app, string messageId) =>
        app.WithDbAsync(db => db.MailMessages.Where(m => m.MessageId == messageId && !m.Outbound).Select(m => m.TicketId).SingleAsync());
}
