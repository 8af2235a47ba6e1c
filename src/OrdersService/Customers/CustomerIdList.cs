namespace PerfReference.OrdersService.Customers;

/// <summary>
/// The <c>ids</c> query parameter of a batch read: comma-separated positive ids, each once, at most
/// <see cref="MaxIds"/>. Anything else is the client's mistake, named in a validation problem.
/// </summary>
public static class CustomerIdList
{
    public const int MaxIds = 100;

    public static (long[] Ids, Dictionary<string, string[]> Errors) Parse(string? text)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(text))
        {
            errors["ids"] = ["ids is required: comma-separated customer ids, for example ids=1,2,3."];
            return ([], errors);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxIds)
        {
            errors["ids"] = [$"At most {MaxIds} ids per request; this one has {parts.Length}."];
            return ([], errors);
        }

        var invalid = parts.Where(part => !long.TryParse(part, out var id) || id <= 0).ToArray();
        if (invalid.Length > 0)
        {
            errors["ids"] = [$"Ids are positive integers; not ids: {string.Join(", ", invalid.Select(part => $"'{part}'"))}."];
            return ([], errors);
        }

        var ids = parts.Select(long.Parse).ToArray();
        var repeated = ids.GroupBy(id => id).Where(group => group.Count() > 1).Select(group => group.Key).ToArray();
        if (repeated.Length > 0)
        {
            errors["ids"] = [$"Each id may appear once; repeated: {string.Join(", ", repeated)}."];
            return ([], errors);
        }

        return (ids, errors);
    }
}
