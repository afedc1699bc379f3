namespace Atiende.Domain.Users;

public enum UserRole
{
    Customer,
    Agent,
    Admin,
}

public sealed class User
{
    public long Id { get; set; }

    /// <summary>Always stored lower-case, so lookups use the index.</summary>
    public required string Email { get; set; }
    public required string Name { get; set; }
    public UserRole Role { get; set; }
    public long? OrganizationId { get; set; }
    public string? PasswordHash { get; set; }
    public string Locale { get; set; } = "en";
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public bool IsStaff => Role is UserRole.Agent or UserRole.Admin;
}

public sealed class Organization
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>When set, every member sees the tickets of every other member.</summary>
    public bool SharesTickets { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Group
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public long? LeadId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class GroupMember
{
    public long GroupId { get; set; }
    public long UserId { get; set; }
}

public sealed class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>Hex SHA-256 of the token: the token itself is shown once and never stored.</summary>
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
