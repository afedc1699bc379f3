using Atiende.Server.Users;

namespace Atiende.Server.Mail;

public static class MailAccountsApi
{
    public static RouteGroupBuilder MapMailAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/admin/mail-accounts").WithTags("Mail").RequireAuthorization(UsersApi.AdminOnly);
        accounts.MapPost("/", ManageMailAccounts.Create).WithName("CreateMailAccount")
            .WithSummary("Add a mail account: its address, the mailbox to read (IMAP or POP3), the SMTP server to send through.");
        accounts.MapGet("/", ManageMailAccounts.List).WithName("ListMailAccounts").WithSummary("Mail accounts (passwords are never returned).");
        accounts.MapGet("/{id:long}", ManageMailAccounts.Get).WithName("GetMailAccount").WithSummary("One mail account, with its ETag.");
        accounts.MapPut("/{id:long}", ManageMailAccounts.Replace).WithName("ReplaceMailAccount")
            .WithSummary("Replace a mail account; a password left out is kept, \"\" removes it.");
        accounts.MapDelete("/{id:long}", ManageMailAccounts.Delete).WithName("DeleteMailAccount").WithSummary("Remove a mail account; its mail stays on the tickets.");
        accounts.MapPost("/{id:long}/test", TestMailAccount.Handle).WithName("TestMailAccount")
            .WithSummary("Connect and sign in to the account's mailbox and SMTP server; says per side what worked or what to fix.");
        return api;
    }
}
