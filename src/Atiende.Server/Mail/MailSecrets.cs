using Microsoft.AspNetCore.DataProtection;

namespace Atiende.Server.Mail;

/// <summary>
/// Mail account passwords, encrypted at rest with ASP.NET Core Data Protection. The keys live under {DataDir}/keys;
/// losing them (or running several nodes that do not share them) makes stored passwords unreadable: enter them again.
/// </summary>
public sealed class MailSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Atiende.MailSecrets");

    public string Protect(string plain) => _protector.Protect(plain);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
