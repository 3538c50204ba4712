using OrderHub.Api.Features.Catalog.Coverage;
using OrderHub.Api.Shared;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Mappings;

namespace OrderHub.UnitTests.Catalog;

public sealed class NameSimilarityTests
{
    [Theory]
    [InlineData("Coca-Cola 0,5 л", "coca cola 0.5 l")]
    [InlineData("  Піца «Маргарита»!  ", "pitsa margarita")]
    [InlineData("Тирамісу", "tiramisu")]
    [InlineData("Тірамісу", "tiramisu")]
    [InlineData("Картопля фрі, велика", "kartoplia fri velika")]
    [InlineData("Чізкейк Нью-Йорк", "chizkeik niu iork")]
    [InlineData("Crème brûlée", "creme brulee")]
    [InlineData("Бургер класичний", "burger klasichnii")]
    [InlineData("", "")]
    public void Normalize_lowers_transliterates_and_drops_punctuation(string name, string expected) =>
        NameSimilarity.Normalize(name).ShouldBe(expected);

    [Theory]
    [InlineData("Coca-Cola 0,5 л", "COCA COLA 0.5 L")]
    [InlineData("Тирамісу", "Тірамісу")]
    [InlineData("Піца Маргарита", "Pizza Margarita")]
    public void The_same_item_written_differently_scores_high(string a, string b)
    {
        var score = NameSimilarity.Score(a, b);
        score.ShouldBeGreaterThanOrEqualTo(0.6, $"'{a}' vs '{b}'");
        NameSimilarity.Score(b, a).ShouldBe(score, "the score is symmetric");
    }

    [Fact]
    public void Exact_match_after_normalising_is_1_and_word_order_does_not_matter_much()
    {
        NameSimilarity.Score("Coca-Cola 0,5 л", "coca cola 0.5 l").ShouldBe(1);
        NameSimilarity.Score("Маргарита піца", "Піца Маргарита").ShouldBeGreaterThan(0.75);
    }

    [Theory]
    [InlineData("Тірамісу", "Бургер класичний")]
    [InlineData("Coca-Cola", "Картопля фрі")]
    [InlineData("Без цибулі", "Додаткова моцарела")]
    public void Different_items_score_below_the_suggestion_threshold(string a, string b) =>
        NameSimilarity.Score(a, b).ShouldBeLessThan(CoverageCalculator.MinimumScore);

    [Fact]
    public void Empty_names_score_0() => NameSimilarity.Score("", "Піца").ShouldBe(0);

    [Fact]
    public void A_closer_name_ranks_first_and_price_breaks_a_tie()
    {
        var dots = new DotsMenuItem { Kind = ExternalIdKind.Product, DotsId = "d1", Name = "Бургер класичний", Price = 189m };
        var candidates = new[]
        {
            Item("402", "Бургер класичний", 229m),
            Item("401", "Бургер класичний", 189m),
            Item("403", "Бургер з сиром", 199m),
            Item("900", "Еспресо", 45m),
        }.Select(c => (c, NameSimilarity.Prepare(c.Name))).ToList();

        var ranked = CoverageCalculator.Rank(dots, candidates);

        ranked.Select(r => r.ExternalId).ShouldBe(["401", "402", "403"]);
        ranked[0].Score.ShouldBe(1);
        ranked[2].Score.ShouldBeLessThan(1);
    }

    private static PosCatalogItem Item(string id, string name, decimal price) =>
        new() { Kind = ExternalIdKind.Product, ExternalId = id, Name = name, Price = price };
}
