namespace Atiende.Server.Notifications;

/// <summary>An entry of an agent's in-app notification list.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public long? TicketId { get; set; }
    public required string Kind { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}
