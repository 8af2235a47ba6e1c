namespace PerfReference.OrdersService.Orders;

/// <summary>One page of a list, with what a client needs to ask for the next one.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long TotalCount);

/// <summary>A validated page request: page from 1, page size from 1 to <see cref="MaxPageSize"/> (or a list's own maximum).</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Parses the query's page and pageSize; errors name the parameter at fault.</summary>
    public static (PageRequest Request, Dictionary<string, string[]> Errors) From(int? page, int? pageSize, int maxPageSize = MaxPageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > 1_000_000)
        {
            errors["page"] = ["page must be between 1 and 1000000."];
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {maxPageSize}."];
        }

        return (new PageRequest(page ?? 1, pageSize ?? DefaultPageSize), errors);
    }
}
