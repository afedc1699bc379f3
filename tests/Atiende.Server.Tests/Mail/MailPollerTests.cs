using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Atiende.Server.Mail;
using Atiende.Server.Scheduler;
using Atiende.Server.Tests.Infrastructure;
using MailKit;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Mail;

/// <summary>Reading mailboxes on the real Dovecot: what is flagged, deleted or skipped, and when.</summary>
public sealed class MailPollerTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Imap_SkipsReadMessages_AndFlagsAMessageAlreadyTakenByAnotherPath_WithoutASecondTicket(Engine engine)
    {
        var servers = RealMailServers.FromEnvironment();
        var app = await MailTestApp.Get(engine);
        var desk = servers.NewMailbox("desk", "atiende.test");
        var accountId = await CreateAccountAsync(app, servers, desk, "imap", deleteAfterImport: false);
        var viaPipe = RealMailServers.Message($"ana-{Guid.NewGuid():N}@example.test", desk, "Also came by the MTA", "Twice.");
        var readByAPerson = RealMailServers.Message($"luis-{Guid.NewGuid():N}@example.test", desk, "Read in a mail client", "Leave me.");
        await servers.SendAsync(viaPipe, readByAPerson);
        await servers.WaitForMessagesAsync(desk, 2);
        using (var imap = await servers.OpenImapAsync(desk))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
            var uid = (await imap.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", readByAPerson.MessageId!))).Single();
            await imap.Inbox.StoreAsync([uid], new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true });
        }

        using var raw = new MemoryStream();
        await viaPipe.WriteToAsync(raw);
        using var content = new ByteArrayContent(raw.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var relayed = await (await app.Admin.PostAsync("mail/inbound", content)).EnsureStatus(HttpStatusCode.Created);
        var ticketId = (await relayed.Json()).GetProperty("ticketId").GetInt64();

        Assert.Equal(new MailPollPass(true, Duplicates: 1), await app.PollMailAsync(accountId));

        Assert.Equal((2, 2), await servers.CountAsync(desk));
        Assert.Equal(ticketId, await app.WithDbAsync(db => db.MailMessages.Where(m => m.MessageId == viaPipe.MessageId).Select(m => m.TicketId).SingleAsync()));
        Assert.False(await app.WithDbAsync(db => db.MailMessages.AnyAsync(m => m.MessageId == readByAPerson.MessageId)));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Imap_DeleteAfterImport_RemovesWhatWasStored_QuarantinedMailIncluded(Engine engine)
    {
        var servers = RealMailServers.FromEnvironment();
        var app = await MailTestApp.Get(engine);
        var desk = servers.NewMailbox("desk", "atiende.test");
        var accountId = await CreateAccountAsync(app, servers, desk, "imap", deleteAfterImport: true);
        var human = RealMailServers.Message($"ana-{Guid.NewGuid():N}@example.test", desk, "Hello", "Please help.");
        var loop = RealMailServers.Message(desk, desk, "From ourselves", "A loop."); // our own address: quarantined, but stored all the same
        await servers.SendAsync(human, loop);
        await servers.WaitForMessagesAsync(desk, 2);

        Assert.Equal(new MailPollPass(true, Accepted: 1, Quarantined: 1), await app.PollMailAsync(accountId));

        Assert.Equal((0, 0), await servers.CountAsync(desk));
        var quarantined = await app.WithDbAsync(db => db.Quarantine.AsNoTracking().SingleAsync(q => q.MessageId == loop.MessageId));
        Assert.Equal((accountId, $"imap:{desk}"), (quarantined.AccountId, quarantined.Source));
        Assert.Contains("loop", quarantined.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AMailboxLeasedByAnotherProcess_IsLeftAlone(Engine engine)
    {
        var servers = RealMailServers.FromEnvironment();
        var app = await MailTestApp.Get(engine);
        var desk = servers.NewMailbox("desk", "atiende.test");
        var accountId = await CreateAccountAsync(app, servers, desk, "imap", deleteAfterImport: false);
        await servers.SendAsync(RealMailServers.Message($"ana-{Guid.NewGuid():N}@example.test", desk, "Not yet", "Wait."));
        await servers.WaitForMessagesAsync(desk, 1);
        await app.WithDbAsync(async db =>
        {
            db.SchedulerLeases.Add(new SchedulerLease { Name = MailboxLease.Name(accountId), Owner = "other-node/1/x", ExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(5) });
            return await db.SaveChangesAsync();
        });

        Assert.Equal(new MailPollPass(false), await app.PollMailAsync(accountId));
        Assert.Equal((1, 0), await servers.CountAsync(desk));

        await app.WithDbAsync(db => db.SchedulerLeases.Where(l => l.Name == MailboxLease.Name(accountId)).ExecuteDeleteAsync());
        Assert.Equal(new MailPollPass(true, Accepted: 1), await app.PollMailAsync(accountId));
    }

    /// <summary>The background poller (on in production): it starts on a new account at once and stops when it is disabled.</summary>
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task BackgroundPoller_ReadsANewPop3AccountAtOnce_AndStopsWhenItIsDisabled(Engine engine)
    {
        var servers = RealMailServers.FromEnvironment();
        await using var app = await TestApp.StartAsync(engine, ["--Mail:PollingEnabled", "true", "--Mail:PollSeconds", "1"]);
        var desk = servers.NewMailbox("desk", "atiende.test");
        await servers.SendAsync(RealMailServers.Message($"ana-{Guid.NewGuid():N}@example.test", desk, "First", "One."));
        await servers.WaitForMessagesAsync(desk, 1);

        var accountId = await CreateAccountAsync(app, servers, desk, "pop3", deleteAfterImport: true);
        await WaitUntilAsync(async () => (await servers.CountAsync(desk)).Total == 0, "the first message to be imported and deleted");
        Assert.Equal(1, await app.WithDbAsync(db => db.MailMessages.CountAsync(m => m.AccountId == accountId)));

        var account = await app.Admin.GetFromJsonAsync<Dictionary<string, object?>>($"admin/mail-accounts/{accountId}");
        account!["enabled"] = false;
        await (await app.Admin.PutAsJsonAsync($"admin/mail-accounts/{accountId}", account)).EnsureStatus(HttpStatusCode.OK);
        await servers.SendAsync(RealMailServers.Message($"luis-{Guid.NewGuid():N}@example.test", desk, "Second", "Two."));
        await servers.WaitForMessagesAsync(desk, 1);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal((1, 0), await servers.CountAsync(desk));

        account["enabled"] = true;
        await (await app.Admin.PutAsJsonAsync($"admin/mail-accounts/{accountId}", account)).EnsureStatus(HttpStatusCode.OK);
        await WaitUntilAsync(async () => (await servers.CountAsync(desk)).Total == 0, "the second message to be imported once the account was enabled again");
        Assert.Equal(2, await app.WithDbAsync(db => db.MailMessages.CountAsync(m => m.AccountId == accountId)));
    }

    private static async Task<long> CreateAccountAsync(TestApp app, RealMailServers servers, string desk, string protocol, bool deleteAfterImport)
    {
        var response = await app.Admin.PostAsJsonAsync("admin/mail-accounts", new
        {
            name = desk,
            address = desk,
            inboundProtocol = protocol,
            inboundHost = servers.Host,
            inboundPort = protocol == "imap" ? servers.ImapsPort : servers.Pop3sPort,
            inboundSecurity = "tls",
            inboundPassword = servers.Password,
            deleteAfterImport,
        });
        await response.EnsureStatus(HttpStatusCode.Created);
        return (await response.Json()).Id();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
