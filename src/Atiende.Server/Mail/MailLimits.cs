namespace Atiende.Server.Mail;

public static class MailLimits
{
    public const int MessageIdMaxLength = 500;

    /// <summary>Larger raw messages are quarantined rather than parsed.</summary>
    public const int MaxMessageBytes = 50 * 1024 * 1024;

    public const int MaxAttachmentBytes = 25 * 1024 * 1024;
}
