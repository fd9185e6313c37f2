GUESTS += atk_victim atk_idle atk_abort
