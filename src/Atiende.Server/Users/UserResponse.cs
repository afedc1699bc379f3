using System.Linq.Expressions;
using Atiende.Domain.Users;

namespace Atiende.Server.Users;

public sealed record UserResponse(
    long Id, string Email, string Name, UserRole Role, long? OrganizationId, string Locale, bool Active,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<User, UserResponse>> Projection = u =>
        new UserResponse(u.Id, u.Email, u.Name, u.Role, u.OrganizationId, u.Locale, u.Active, u.CreatedAt, u.UpdatedAt);

    public static UserResponse From(User u) => new(u.Id, u.Email, u.Name, u.Role, u.OrganizationId, u.Locale, u.Active, u.CreatedAt, u.UpdatedAt);
}
