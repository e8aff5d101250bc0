"""A project's life beyond its monthly figures: 统计入库, 要素保障 and its funding."""
