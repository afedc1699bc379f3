using System.Security.Claims;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

public static class GetUser
{
    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        if (!viewer.IsStaff && viewer.UserId != id)
        {
            return Problems.NotFound($"User {id}");
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound($"User {id}");
        }

        http.Response.Headers.ETag = ETags.For(user.Version);
        return TypedResults.Ok(UserResponse.From(user));
    }
}
