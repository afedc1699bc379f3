namespace Atiende.Domain.Tickets;

public static class TicketLimits
{
    public const int SubjectMaxLength = 255;
    public const int BodyMaxLength = 1024 * 1024;
    public const int TagMaxLength = 64;
    public const int MaxTags = 50;
    public const int MaxCc = 50;
}
