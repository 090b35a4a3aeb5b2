namespace SalesPipeline.Quality;

/// <summary>
/// Ordinals of the fields of <see cref="FieldSchema.Pipeline"/>, for an <see cref="IFieldReader"/> that switches on
/// the ordinal.
/// </summary>
public static class PipelineFields
{
    public const int OrderId = 0;
    public const int LineId = 1;
    public const int EventId = 2;
    public const int ProductId = 3;
    public const int ProductName = 4;
    public const int CustomerId = 5;
    public const int Region = 6;
    public const int Country = 7;
    public const int Currency = 8;
    public const int Status = 9;
    public const int Channel = 10;
    public const int Quantity = 11;
    public const int UnitPrice = 12;
    public const int Discount = 13;
    public const int LineAmount = 14;
    public const int Sequence = 15;
    public const int OrderTime = 16;
    public const int EventTime = 17;
}
