using System.Globalization;

namespace PerfReference.OrdersService.Orders;

/// <summary>
/// A window of time, <see cref="From"/> inclusive to <see cref="To"/> exclusive, as an operations query asks for
/// orders: at most <see cref="MaxLength"/> long, so that no single request can ask for the whole table (a month of
/// the default data set is about 45,000 orders).
/// </summary>
public readonly record struct DateRange(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    /// <summary>Parses the query's from and to (ISO 8601; UTC when no offset is given); errors name the parameter at fault.</summary>
    public static (DateRange Range, Dictionary<string, string[]> Errors) Parse(string? from, string? to)
    {
        var errors = new Dictionary<string, string[]>();
        var start = ParseInstant(from, "from", errors);
        var end = ParseInstant(to, "to", errors);
        if (start is { } s && end is { } e)
        {
            if (e <= s)
            {
                errors["to"] = ["to must be later than from."];
            }
            else if (e - s > MaxLength)
            {
                errors["to"] = [$"from and to may be at most {MaxLength.TotalDays:0} days apart."];
            }
        }

        return (new DateRange(start ?? default, end ?? default), errors);
    }

    private static DateTimeOffset? ParseInstant(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[name] = [$"{name} is required (an ISO 8601 date and time, e.g. 2026-11-01T00:00:00Z)."];
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            errors[name] = [$"'{text}' is not an ISO 8601 date and time."];
            return null;
        }

        return instant;
    }
}
