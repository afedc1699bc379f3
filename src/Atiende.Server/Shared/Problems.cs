using Microsoft.AspNetCore.Http.HttpResults;

namespace Atiende.Server.Shared;

/// <summary>The few problem-details answers the API gives, with the wording in one place.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} was not found.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ProblemHttpResult StaleVersion() =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
            detail: "The resource changed since you read it: GET it again for a fresh ETag and retry.");

    public static ProblemHttpResult MissingIfMatch() =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition required",
            detail: "Send If-Match with the ETag from a GET, so a concurrent change is never overwritten.");

    /// <summary>422 with every field's errors listed, and all of them in one readable detail.</summary>
    public static ProblemHttpResult Invalid(Validation validation) =>
        TypedResults.Problem(new HttpValidationProblemDetails(validation.Errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid request",
            Detail = string.Join(" ", validation.Errors.SelectMany(e => e.Value)),
        });

    public static ProblemHttpResult Invalid(string field, string message)
    {
        var validation = new Validation();
        validation.Add(field, message);
        return Invalid(validation);
    }
}
