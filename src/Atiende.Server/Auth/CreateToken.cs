using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Auth;

public static class CreateToken
{
    public sealed record Request(string? Email, string? Password, string? Name);

    public sealed record Response(long Id, string Token, string Name, DateTimeOffset CreatedAt);

    public static async Task<Results<Created<Response>, ProblemHttpResult>> Handle(
        Request request, AtiendeDb db, Passwords passwords, TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var email = v.Required("email", request.Email, 254)?.ToLowerInvariant();
        var password = v.Required("password", request.Password, 1000);
        var name = v.MaxLength("name", request.Name?.Trim(), 200);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (!passwords.Verify(user, password!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The email or the password is wrong.");
        }

        var token = BearerTokenHandler.NewToken();
        var row = new ApiToken
        {
            UserId = user!.Id,
            Name = string.IsNullOrWhiteSpace(name) ? "API token" : name,
            Hash = BearerTokenHandler.Hash(token),
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/auth/tokens/{row.Id}", new Response(row.Id, token, row.Name, row.CreatedAt));
    }
}
