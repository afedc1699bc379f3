using System.Security.Claims;
using System.Text.Json;
using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

/// <summary>
/// Admins change anything; agents change customers' contact details; everyone changes their own name, password and locale.
/// </summary>
public static class UpdateUser
{
    private static readonly string[] Fields = ["email", "name", "role", "organizationId", "password", "locale", "active"];
    private static readonly string[] SelfFields = ["name", "password", "locale"];
    private static readonly string[] AgentOnCustomerFields = ["email", "name", "organizationId", "locale", "active"];

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Handle(
        long id, JsonElement body, ClaimsPrincipal principal, AtiendeDb db, Passwords passwords, ViewerCache cache,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var v = new Validation();
        var patch = Patch.Read(body, v, Fields);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null || (!viewer.IsStaff && viewer.UserId != id))
        {
            return Problems.NotFound($"User {id}");
        }

        var allowed = viewer.IsAdmin ? Fields
            : viewer.UserId == id ? SelfFields
            : user.Role == UserRole.Customer ? AgentOnCustomerFields
            : [];
        var refused = Fields.Where(f => patch.Has(f) && !allowed.Contains(f, StringComparer.Ordinal)).ToList();
        if (refused.Count > 0)
        {
            return Problems.Forbidden($"You may not change: {string.Join(", ", refused)}.");
        }

        if (ETags.Matches(http.Request, user.Version) == false)
        {
            return Problems.StaleVersion();
        }

        if (patch.Has("email"))
        {
            var email = v.Email("email", patch.String("email"));
            if (email is not null && email != user.Email)
            {
                if (await db.Users.AnyAsync(u => u.Email == email && u.Id != id, cancellationToken))
                {
                    return Problems.Conflict($"A user with email '{email}' already exists.");
                }

                user.Email = email;
            }
        }

        if (patch.Has("name"))
        {
            user.Name = v.Required("name", patch.String("name"), 200) ?? user.Name;
        }

        if (patch.Has("locale"))
        {
            user.Locale = CreateUser.Locale(v, "locale", patch.String("locale") ?? "") ?? user.Locale;
        }

        if (patch.Has("password"))
        {
            var password = patch.String("password");
            if (password is null || password.Length < Passwords.MinLength || password.Length > 1000)
            {
                v.Add("password", $"password must be {Passwords.MinLength} to 1000 characters.");
            }
            else
            {
                user.PasswordHash = passwords.Hash(user, password);
            }
        }

        if (patch.Has("organizationId"))
        {
            var orgId = patch.Long("organizationId");
            if (orgId is not null && !await db.Organizations.AnyAsync(o => o.Id == orgId, cancellationToken))
            {
                v.Add("organizationId", $"Organization {orgId} does not exist.");
            }

            user.OrganizationId = orgId;
        }

        if (patch.Has("role"))
        {
            user.Role = v.Enum<UserRole>("role", patch.String("role") ?? "") ?? user.Role;
        }

        if (patch.Has("active"))
        {
            user.Active = patch.Bool("active") ?? user.Active;
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        if ((user.Role != UserRole.Admin || !user.Active)
            && !await db.Users.AnyAsync(u => u.Id != id && u.Role == UserRole.Admin && u.Active, cancellationToken))
        {
            return Problems.Conflict("This is the last active admin; make another admin first.");
        }

        user.UpdatedAt = clock.GetUtcNow();
        user.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.StaleVersion();
        }

        cache.Invalidate();
        http.Response.Headers.ETag = ETags.For(user.Version);
        return TypedResults.Ok(UserResponse.From(user));
    }
}
