GUESTS += atk_victim atk_idle atk_abort atk_mmio atk_gic
