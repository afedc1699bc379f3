namespace Atiende.Server.Scheduler;

/// <summary>A named lease: the process holding an unexpired lease runs the job, so it runs once across nodes.</summary>
public sealed class SchedulerLease
{
    public required string Name { get; set; }
    public string Owner { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A small key/value store for admin settings kept as JSON.</summary>
public sealed class Setting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
