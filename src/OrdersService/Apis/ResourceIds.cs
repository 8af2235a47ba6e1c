using Microsoft.AspNetCore.Http.HttpResults;

namespace PerfReference.OrdersService.Apis;

/// <summary>
/// Ids in routes are read as text, so a malformed one is answered with a 400 problem rather than a
/// route miss; the same problems (invalid id, not found) read alike for every kind of resource.
/// </summary>
public static class ResourceIds
{
    public static long? Parse(string text) => long.TryParse(text, out var id) && id > 0 ? id : null;

    /// <param name="kind">The resource, in lower case: "order", "customer".</param>
    public static ProblemHttpResult Invalid(string kind, string text) => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid {kind} id", detail: $"'{text}' is not {Article(kind)} {kind} id: ids are positive integers.");

    public static ProblemHttpResult NotFound(string kind, long id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"{char.ToUpperInvariant(kind[0])}{kind[1..]} not found", detail: $"No {kind} has id {id}.");

    private static string Article(string kind) => "aeiou".Contains(kind[0]) ? "an" : "a";
}
