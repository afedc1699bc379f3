using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atiende.Server.Mail;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atiende.Server.Tests.Mail;

public sealed class MailAccountsApiTests
{
    private const string InboundSecret = "imap-Secret-4711";
    private const string SmtpSecret = "smtp-Secret-0815";

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Crud_PasswordsAreStoredEncrypted_AndNeverReturned(Engine engine)
    {
        var app = await MailTestApp.Get(engine);
        var group = await app.NewGroupAsync();
        var address = $"sales-{Guid.NewGuid():N}@atiende.test";

        var created = await app.Admin.PostAsJsonAsync("admin/mail-accounts", new
        {
            name = address,
            address = address.ToUpperInvariant(),
            senderName = "Sales",
            defaultGroupId = group,
            inboundProtocol = "imap",
            inboundHost = "IMAP.Example.Test",
            inboundSecurity = "start_tls",
            inboundPassword = InboundSecret,
            smtpHost = "smtp.example.test",
            smtpUser = "sales",
            smtpPassword = SmtpSecret,
        });
        await created.EnsureStatus(HttpStatusCode.Created);
        var text = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(InboundSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpSecret, text, StringComparison.Ordinal);
        var account = await created.Json();
        var id = account.Id();
        Assert.Equal($"/api/v1/admin/mail-accounts/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(address, account.Str("address"));
        Assert.Equal(("imap", "imap.example.test", 143, "start_tls"), (account.Str("inboundProtocol"), account.Str("inboundHost"),
            account.GetProperty("inboundPort").GetInt32(), account.Str("inboundSecurity")));
        Assert.Equal(address, account.Str("inboundUser")); // the address unless told otherwise
        Assert.Equal("INBOX", account.Str("inboundFolder"));
        Assert.Equal(("start_tls", 587, "sales"), (account.Str("smtpSecurity"), account.GetProperty("smtpPort").GetInt32(), account.Str("smtpUser")));
        Assert.True(account.GetProperty("hasInboundPassword").GetBoolean());
        Assert.True(account.GetProperty("hasSmtpPassword").GetBoolean());
        Assert.False(account.TryGetProperty("inboundPassword", out _));
        Assert.False(account.TryGetProperty("inboundPasswordProtected", out _));

        var stored = await app.WithDbAsync(db => db.MailAccounts.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.DoesNotContain(InboundSecret, stored.InboundPasswordProtected!, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpSecret, stored.SmtpPasswordProtected!, StringComparison.Ordinal);
        var secrets = app.Services.GetRequiredService<MailSecrets>();
        Assert.Equal(InboundSecret, secrets.Unprotect(stored.InboundPasswordProtected!));
        Assert.Equal(SmtpSecret, secrets.Unprotect(stored.SmtpPasswordProtected!));

        var get = await app.Admin.GetAsync($"admin/mail-accounts/{id}");
        await get.EnsureStatus(HttpStatusCode.OK);
        Assert.DoesNotContain(InboundSecret, await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var etag = get.Headers.ETag!.Tag;
        var listed = await app.Admin.ItemsAsync("admin/mail-accounts");
        Assert.Contains(listed, a => a.Id() == id && a.GetProperty("hasInboundPassword").GetBoolean());
        Assert.DoesNotContain(SmtpSecret, (await app.Admin.GetStringAsync("admin/mail-accounts")), StringComparison.Ordinal);

        // A replace that leaves the passwords out keeps them; a stale ETag is refused.
        var same = new
        {
            name = address,
            address,
            senderName = "Sales team",
            defaultGroupId = group,
            inboundProtocol = "imap",
            inboundHost = "imap.example.test",
            inboundSecurity = "start_tls",
            deleteAfterImport = true,
            smtpHost = "smtp.example.test",
            smtpUser = "sales",
        };
        var replaced = await Put(app, id, same, etag);
        await replaced.EnsureStatus(HttpStatusCode.OK);
        var body = await replaced.Json();
        Assert.Equal("Sales team", body.Str("senderName"));
        Assert.True(body.GetProperty("deleteAfterImport").GetBoolean());
        Assert.True(body.GetProperty("hasInboundPassword").GetBoolean());
        Assert.True(body.GetProperty("hasSmtpPassword").GetBoolean());
        Assert.Equal(InboundSecret, secrets.Unprotect((await app.WithDbAsync(db => db.MailAccounts.AsNoTracking().SingleAsync(a => a.Id == id))).InboundPasswordProtected!));
        await (await Put(app, id, same, etag)).EnsureProblem(HttpStatusCode.PreconditionFailed);

        // A stored password never goes to another server: a new host needs it again.
        var moved = await (await Put(app, id, same with { inboundHost = "evil.example.test" }, null)).EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("inboundPassword again", moved.FieldErrors("inboundPassword").Single(), StringComparison.Ordinal);
        await (await Put(app, id, same with { smtpHost = "evil.example.test" }, null)).EnsureProblem(HttpStatusCode.UnprocessableEntity);

        // Reading no mailbox and "" as the SMTP password remove both passwords.
        var cleared = await (await Put(app, id, new { name = address, address, inboundProtocol = "none", smtpHost = "smtp.example.test", smtpUser = "sales", smtpPassword = "" }, null))
            .EnsureStatus(HttpStatusCode.OK);
        var clearedBody = await cleared.Json();
        Assert.False(clearedBody.GetProperty("hasInboundPassword").GetBoolean());
        Assert.False(clearedBody.GetProperty("hasSmtpPassword").GetBoolean());
        Assert.Equal(JsonValueKind.Null, clearedBody.GetProperty("inboundHost").ValueKind);

        var agent = await app.NewUserAsync("agent");
        await (await agent.Client.GetAsync("admin/mail-accounts")).EnsureStatus(HttpStatusCode.Forbidden);
        await (await app.Admin.DeleteAsync($"admin/mail-accounts/{id}")).EnsureStatus(HttpStatusCode.NoContent);
        await (await app.Admin.GetAsync($"admin/mail-accounts/{id}")).EnsureProblem(HttpStatusCode.NotFound);
        await (await app.Admin.DeleteAsync($"admin/mail-accounts/{id}")).EnsureProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Validation_ListsEveryField_AndNamesAndAddressesAreUnique(Engine engine)
    {
        var app = await MailTestApp.Get(engine);

        var empty = await (await app.Admin.PostAsJsonAsync("admin/mail-accounts", new { })).EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["name is required."], empty.FieldErrors("name"));
        Assert.Equal(["address is required."], empty.FieldErrors("address"));

        var bad = await (await app.Admin.PostAsJsonAsync("admin/mail-accounts", new
        {
            name = "x",
            address = "not an address",
            inboundProtocol = "smtp",
            inboundSecurity = "ssl3",
            smtpPort = 70000,
            smtpHost = "bad host!",
            defaultGroupId = 987654321,
            smtpPassword = "p",
        })).EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not a valid email address", bad.FieldErrors("address").Single(), StringComparison.Ordinal);
        Assert.Equal(["inboundProtocol 'smtp' is not one of: none, imap, pop3."], bad.FieldErrors("inboundProtocol"));
        Assert.Equal(["inboundSecurity 'ssl3' is not one of: none, start_tls, tls."], bad.FieldErrors("inboundSecurity"));
        Assert.Equal(["smtpPort must be between 1 and 65535 (got 70000)."], bad.FieldErrors("smtpPort"));
        Assert.Contains("not a host name", bad.FieldErrors("smtpHost").Single(), StringComparison.Ordinal);
        Assert.Equal(["There is no group 987654321."], bad.FieldErrors("defaultGroupId"));

        var imap = await (await app.Admin.PostAsJsonAsync("admin/mail-accounts", new { name = "y", address = "y@atiende.test", inboundProtocol = "pop3" }))
            .EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["inboundHost is required."], imap.FieldErrors("inboundHost"));
        Assert.Contains("inboundPassword is required", imap.FieldErrors("inboundPassword").Single(), StringComparison.Ordinal);

        var name = $"dup-{Guid.NewGuid():N}";
        var pop3 = await (await app.Admin.PostAsJsonAsync("admin/mail-accounts", new
        {
            name,
            address = $"{name}@atiende.test",
            inboundProtocol = "pop3",
            inboundHost = "pop.example.test",
            inboundPassword = "p",
            deleteAfterImport = false,
        })).EnsureStatus(HttpStatusCode.Created);
        var pop3Body = await pop3.Json();
        Assert.Equal(995, pop3Body.GetProperty("inboundPort").GetInt32()); // tls unless told otherwise
        Assert.True(pop3Body.GetProperty("deleteAfterImport").GetBoolean()); // POP3 always deletes
        Assert.Equal(JsonValueKind.Null, pop3Body.GetProperty("smtpHost").ValueKind);

        var sameName = await (await app.Admin.PostAsJsonAsync("admin/mail-accounts", new { name, address = $"other-{name}@atiende.test" })).EnsureProblem(HttpStatusCode.Conflict);
        Assert.Contains($"named '{name}'", sameName.Detail(), StringComparison.Ordinal);
        var sameAddress = await (await app.Admin.PostAsJsonAsync("admin/mail-accounts", new { name = $"other-{name}", address = $"{name}@atiende.test" }))
            .EnsureProblem(HttpStatusCode.Conflict);
        Assert.Contains($"{name}@atiende.test", sameAddress.Detail(), StringComparison.Ordinal);
        await (await app.Admin.DeleteAsync($"admin/mail-accounts/{pop3Body.Id()}")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task TestEndpoint_SignsInToTheRealServers_AndSaysClearlyWhatFails(Engine engine)
    {
        var servers = RealMailServers.FromEnvironment();
        var app = await MailTestApp.Get(engine);
        var mailbox = servers.NewMailbox("desk", "atiende.test");

        var imapId = await CreateAsync(app, new
        {
            name = mailbox,
            address = mailbox,
            inboundProtocol = "imap",
            inboundHost = servers.Host,
            inboundPort = servers.ImapsPort,
            inboundSecurity = "tls",
            inboundPassword = servers.Password,
            smtpHost = servers.Host,
            smtpPort = servers.SmtpPort,
            smtpSecurity = "start_tls",
            smtpUser = mailbox,
            smtpPassword = servers.Password,
        });
        var good = await TestAsync(app, imapId);
        Assert.True(good.GetProperty("inbound").GetProperty("ok").GetBoolean(), good.ToString());
        Assert.Contains($"Signed in to IMAP server {servers.Host}:{servers.ImapsPort} as {mailbox}", good.GetProperty("inbound").Str("message"), StringComparison.Ordinal);
        Assert.Contains("offers IDLE", good.GetProperty("inbound").Str("message"), StringComparison.Ordinal);
        Assert.True(good.GetProperty("smtp").GetProperty("ok").GetBoolean(), good.ToString());
        Assert.Contains($"signed in as {mailbox}", good.GetProperty("smtp").Str("message"), StringComparison.Ordinal);

        var pop3Id = await CreateAsync(app, new
        {
            name = $"pop3-{mailbox}",
            address = $"pop3-{mailbox}",
            inboundProtocol = "pop3",
            inboundHost = servers.Host,
            inboundPort = servers.Pop3Port,
            inboundSecurity = "start_tls",
            inboundUser = mailbox,
            inboundPassword = servers.Password,
        });
        var pop3 = await TestAsync(app, pop3Id);
        Assert.True(pop3.GetProperty("inbound").GetProperty("ok").GetBoolean(), pop3.ToString());
        Assert.Equal(JsonValueKind.Null, pop3.GetProperty("smtp").ValueKind);

        var wrongId = await CreateAsync(app, new
        {
            name = $"wrong-{mailbox}",
            address = $"wrong-{mailbox}",
            inboundProtocol = "imap",
            inboundHost = servers.Host,
            inboundPort = servers.ImapPort,
            inboundSecurity = "start_tls",
            inboundUser = mailbox,
            inboundPassword = "not-the-password",
            smtpHost = servers.Host,
            smtpPort = servers.SmtpPort,
            smtpUser = mailbox,
            smtpPassword = "not-the-password",
        });
        var wrong = await TestAsync(app, wrongId);
        Assert.False(wrong.GetProperty("inbound").GetProperty("ok").GetBoolean());
        Assert.StartsWith($"IMAP server {servers.Host}:{servers.ImapPort} refused the user name or password", wrong.GetProperty("inbound").Str("message"), StringComparison.Ordinal);
        Assert.False(wrong.GetProperty("smtp").GetProperty("ok").GetBoolean());
        Assert.StartsWith($"SMTP server {servers.Host}:{servers.SmtpPort} refused the user name or password", wrong.GetProperty("smtp").Str("message"), StringComparison.Ordinal);

        // Implicit TLS against the plain port, and a port nobody listens on.
        var mismatchId = await CreateAsync(app, new
        {
            name = $"tls-{mailbox}",
            address = $"tls-{mailbox}",
            inboundProtocol = "imap",
            inboundHost = servers.Host,
            inboundPort = servers.ImapPort,
            inboundSecurity = "tls",
            inboundUser = mailbox,
            inboundPassword = servers.Password,
            smtpHost = "127.0.0.1",
            smtpPort = 1,
            smtpSecurity = "none",
        });
        var mismatch = await TestAsync(app, mismatchId);
        Assert.False(mismatch.GetProperty("inbound").GetProperty("ok").GetBoolean());
        Assert.Contains("TLS", mismatch.GetProperty("inbound").Str("message"), StringComparison.Ordinal);
        Assert.StartsWith("Could not connect to SMTP server 127.0.0.1:1", mismatch.GetProperty("smtp").Str("message"), StringComparison.Ordinal);

        await (await app.Admin.PostAsync("admin/mail-accounts/987654321/test", null)).EnsureProblem(HttpStatusCode.NotFound);
        foreach (var id in new[] { imapId, pop3Id, wrongId, mismatchId })
        {
            await (await app.Admin.DeleteAsync($"admin/mail-accounts/{id}")).EnsureStatus(HttpStatusCode.NoContent);
        }
    }

    private static async Task<long> CreateAsync(TestApp app, object body)
    {
        var response = await app.Admin.PostAsJsonAsync("admin/mail-accounts", body);
        await response.EnsureStatus(HttpStatusCode.Created);
        return (await response.Json()).Id();
    }

    private static async Task<JsonElement> TestAsync(TestApp app, long id)
    {
        var response = await app.Admin.PostAsync($"admin/mail-accounts/{id}/test", null);
        await response.EnsureStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    private static Task<HttpResponseMessage> Put(TestApp app, long id, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"admin/mail-accounts/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return app.Admin.SendAsync(request);
    }
}
