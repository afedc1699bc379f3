namespace Atiende.Server.Shared;

/// <summary>Settings read from appsettings.json, ATIENDE_* environment variables and command-line flags.</summary>
public sealed class AtiendeOptions
{
    /// <summary>A PostgreSQL connection string (Host=...) or a SQLite file path / connection string.</summary>
    public string? Db { get; set; }

    public string DataDir { get; set; } = "data";

    /// <summary>Where people reach this server from outside; links in mail (e.g. confirming a resolution) start here.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>Sign-in and token creation attempts allowed per client address and minute.</summary>
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>The first admin, created on first start when no admin exists.</summary>
    public string AdminEmail { get; set; } = "admin@atiende.local";

    /// <summary>Generated and printed when not set.</summary>
    public string? AdminPassword { get; set; }
}
