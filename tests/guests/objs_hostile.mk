GUESTS += atk_victim atk_idle atk_abort atk_mmio atk_gic atk_gic_v2 atk_exc atk_sysreg atk_hvc atk_storm atk_flood atk_psci atk_mgmt
