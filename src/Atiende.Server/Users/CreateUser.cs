using System.Security.Claims;
using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

public static class CreateUser
{
    public sealed record Request(string? Email, string? Name, string? Role, long? OrganizationId, string? Password, string? Locale);

    public static readonly string[] Locales = ["en", "es"];

    public static async Task<Results<Created<UserResponse>, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, AtiendeDb db, Passwords passwords, TimeProvider clock, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var v = new Validation();
        var email = v.Email("email", request.Email);
        var name = v.Required("name", request.Name, 200);
        var role = v.Enum<UserRole>("role", request.Role) ?? UserRole.Customer;
        var locale = Locale(v, "locale", request.Locale) ?? "en";
        if (request.Password is { Length: < Passwords.MinLength })
        {
            v.Add("password", $"password must be at least {Passwords.MinLength} characters.");
        }

        v.MaxLength("password", request.Password, 1000);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        if (!viewer.IsAdmin && role != UserRole.Customer)
        {
            return Problems.Forbidden("Only admins create agents and admins.");
        }

        if (request.OrganizationId is { } orgId && !await db.Organizations.AnyAsync(o => o.Id == orgId, cancellationToken))
        {
            return Problems.Invalid("organizationId", $"Organization {orgId} does not exist.");
        }

        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            return Problems.Conflict($"A user with email '{email}' already exists.");
        }

        var now = clock.GetUtcNow();
        var user = new User
        {
            Email = email!,
            Name = name!,
            Role = role,
            OrganizationId = request.OrganizationId,
            Locale = locale,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (request.Password is not null)
        {
            user.PasswordHash = passwords.Hash(user, request.Password);
        }

        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/users/{user.Id}", UserResponse.From(user));
    }

    public static string? Locale(Validation v, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!Locales.Contains(value, StringComparer.Ordinal))
        {
            v.Add(field, $"{field} '{value}' is not one of: {string.Join(", ", Locales)}.");
            return null;
        }

        return value;
    }
}
